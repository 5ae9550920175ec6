"""WSGI entry point served by granian (`mogao serve`).

IIIF Image API requests (`GET /iiif/3/...`) are answered by the image core before Django's
middleware (host still checked against ALLOWED_HOSTS): tiles are the hottest path, and the
middleware stack would cost an order of magnitude in throughput there (see bench/iiif).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mogao.site.settings")
django_application = get_wsgi_application()

from mogao.iiif.web import fast_path  # noqa: E402  (needs Django configured)

application = fast_path(django_application)
