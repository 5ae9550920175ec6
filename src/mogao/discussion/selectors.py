"""Reads of the discussion: the thread of a target, as the reader may see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from mogao.accounts import policy
from mogao.discussion import langdetect, targets
from mogao.discussion.models import Comment

#: The filter groups offered, in order ("" is every language).
FILTERS = ("", "zh", "en", "fr", "und")
#: Replies deeper than this are shown at this depth (a thread stays readable on a phone).
MAX_DEPTH = 4


@dataclass
class Node:
    comment: Comment
    depth: int
    replies: list[Node] = field(default_factory=list)
    #: Hidden by the language filter (kept when a reply in the chosen language needs its context).
    filtered: bool = False


def visible_comments(user: Any, target: Any) -> QuerySet[Comment]:
    ct = targets.content_type(target)
    qs = Comment.objects.filter(target_type=ct, target_id=target.pk).select_related("author", "author__profile")
    return policy.scope(user, "view", qs).order_by("created", "pk")


def thread(user: Any, target: Any, *, language: str = "") -> tuple[list[Node], int]:
    """Top-level nodes with their replies, and how many comments are shown.

    ``language`` is a filter group (``zh``, ``en``, ``fr``, ``und``; empty: all). A comment another
    visible comment replies to stays in the tree even when the reader cannot see it or the filter
    leaves it out, as an empty placeholder, so that replies keep their place.
    """
    comments = list(visible_comments(user, target))
    by_id = {c.pk: c for c in comments}
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    shown = 0
    for comment in comments:
        matches = not language or langdetect.group_of(comment.language) == language
        parent = nodes.get(comment.parent_id) if comment.parent_id in by_id else None
        depth = min(parent.depth + 1, MAX_DEPTH) if parent is not None else 0
        node = Node(comment=comment, depth=depth, filtered=not matches)
        nodes[comment.pk] = node
        if parent is None:
            roots.append(node)
        else:
            parent.replies.append(node)
        shown += int(matches and not comment.deleted)
    return [n for n in roots if _keeps(n)], shown


def _keeps(node: Node) -> bool:
    node.replies = [r for r in node.replies if _keeps(r)]
    return (not node.filtered and not node.comment.deleted) or bool(node.replies)


def my_comments(user: Any, *, limit: int = 50) -> list[Comment]:
    """The user's own comments, newest first (My Mogao)."""
    if not getattr(user, "is_authenticated", False):
        return []
    qs = Comment.objects.filter(author_id=user.pk, deleted=False).select_related("target_type")
    return list(qs.order_by("-created", "-pk")[:limit])


def flatten(roots: list[Node]) -> list[Node]:
    """The tree in reading order (each node keeps its capped ``depth`` for indentation)."""
    out: list[Node] = []

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            out.append(node)
            walk(node.replies)

    walk(roots)
    return out
