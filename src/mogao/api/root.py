"""The django-ninja API root mounted at /api/v1; each domain registers its router here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Mogao API",
    version="1",
    description="Open JSON API of the Mogao library: institutions, works, items, canvases, search.",
    urls_namespace="api",
)

from mogao.search.api import router as search_router  # noqa: E402  (routers register after the api exists)

api.add_router("/search", search_router)
