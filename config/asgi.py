"""HTTP through Django, websockets through Channels, both served by Daphne."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from timing import fastread  # noqa: E402
from timing.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # The snapshot GETs of followed topics are answered from memory (timing/fastread.py).
        "http": fastread.wrap(django_asgi_app),
        # Every socket is read-only and never reads the session or a cookie, so any origin (and a
        # native client that sends none) may follow the live results: there is nothing to forge.
        # A socket that ever acts for a logged-in user must be wrapped in an origin check.
        "websocket": URLRouter(websocket_urlpatterns),
    }
)
