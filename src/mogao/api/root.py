"""The django-ninja API root mounted at /api/v1; each domain registers its router here."""

from __future__ import annotations

from mogao.api.http import AnonymousThrottle, MogaoAPI, install_error_handlers
from mogao.api.routers import catalogue, entities, export, items

api = MogaoAPI(
    title="Mogao API",
    version="1",
    description=(
        "Open JSON API of the Mogao library: institutions, collections, works, items, canvases, "
        "transcriptions, people, places, periods and search. Reads are anonymous (rate-limited per "
        "client address; not with a token); "
        "curators write with an API token (`Authorization: Bearer mogao_…`). Lists use cursor "
        "pagination (`limit`, `cursor`, follow `next`); `lang` or Accept-Language choose `label`; "
        "successful reads carry an ETag (send If-None-Match). Errors are JSON "
        "`{\"detail\", \"errors\": [{\"field\", \"message\"}]}`."
    ),
    urls_namespace="api",
    throttle=[AnonymousThrottle()],
)
install_error_handlers(api)
api.add_router("", catalogue.router)
api.add_router("", items.router)
api.add_router("", entities.router)
api.add_router("", export.router)

from mogao.search.api import router as search_router  # noqa: E402  (routers register after the api exists)

api.add_router("/search", search_router)

from mogao.audience.api import router as statistics_router  # noqa: E402

api.add_router("", statistics_router)

from mogao.digitization.api import router as digitization_router  # noqa: E402

api.add_router("", digitization_router)
