"""WSGI entry point served by granian (`mogao serve`).

IIIF Image API requests (`GET /iiif/3/...`) are answered by the image core before Django's
middleware (host still checked against ALLOWED_HOSTS): tiles are the hottest path, and the
middleware stack would cost an order of magnitude in throughput there (see bench/iiif). Who may
see an image is still decided by the policy (mogao.iiif.access): a request whose answer depends
on the signed-in user goes through Django.

Under ``mogao serve`` (MOGAO_WARM_UP=1) each process builds the search dictionaries in a thread as
it starts, and sets aside from the garbage collector what lives as long as it does
(:mod:`mogao.core.collector`): without that, full collections stalled every thread for 0.5-2 s.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mogao.site.settings")
django_application = get_wsgi_application()

from mogao.iiif.web import fast_path  # noqa: E402  (needs Django configured)

application = fast_path(django_application)

if os.environ.get("MOGAO_WARM_UP") == "1":  # set by `mogao serve` for its server processes
    import threading

    from mogao.core.collector import settle, warm_up_then_settle
    from mogao.search.services import warm_up

    settle()  # Django's modules live as long as the process: never scanned by the collector (#19)
    threading.Thread(target=warm_up_then_settle, args=(warm_up,), name="mogao-search-warm-up", daemon=True).start()
