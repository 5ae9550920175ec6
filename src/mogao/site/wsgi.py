"""WSGI entry point served by granian (`mogao serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mogao.site.settings")
application = get_wsgi_application()
