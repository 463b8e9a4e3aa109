from django.urls import path, re_path

from .consumers import CompetitionConsumer, NoSuchPath, RaceConsumer

websocket_urlpatterns = [
    path("ws/races/<int:race_id>/", RaceConsumer.as_asgi()),
    path("ws/competitions/<int:competition_id>/", CompetitionConsumer.as_asgi()),
    # Anything else (ws/races/abc/, ws/, /): closed with 4404 like an unknown race, instead of
    # URLRouter's "No route found" exception, a traceback and a 500.
    re_path(r"", NoSuchPath.as_asgi()),
]
