"""Reads from the knowledge layer: entity pages, map, timeline, graph, related items, search feed.

Split by behaviour: :mod:`.entities` (entity pages and search documents), :mod:`.views`
(map, timeline and graph data) and :mod:`.related` (related items and works with reasons).
"""

from mogao.knowledge.selectors.entities import (
    DirectoryEntry,
    EntityLinks,
    entity_detail,
    entity_directory,
    entity_documents,
    entity_links,
    entity_list,
    entity_names_for,
    entity_url,
)
from mogao.knowledge.selectors.related import Related, item_related, work_related
from mogao.knowledge.selectors.views import (
    GraphCenterError,
    TimelineRange,
    default_center,
    graph_data,
    map_data,
    place_map_data,
    resolve_center,
    timeline_centre,
    timeline_data,
)

__all__ = [
    "DirectoryEntry",
    "EntityLinks",
    "GraphCenterError",
    "Related",
    "TimelineRange",
    "default_center",
    "entity_detail",
    "entity_directory",
    "entity_documents",
    "entity_links",
    "entity_list",
    "entity_names_for",
    "entity_url",
    "graph_data",
    "item_related",
    "map_data",
    "place_map_data",
    "resolve_center",
    "timeline_centre",
    "timeline_data",
    "work_related",
]
