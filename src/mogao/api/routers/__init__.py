"""Routers of the JSON API, one module per area; :mod:`mogao.api.root` mounts them."""
