from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.home, name="home"),
    path("competitions/<int:competition_id>/", views.competition, name="competition"),
    path("races/<int:race_id>/", views.spectator, name="spectator"),
    path("races/<int:race_id>/board/", views.board, name="board"),
    path("api/races/", api.race_list, name="api-races"),
    path("api/races/<int:race_id>/", api.race_snapshot, name="api-race"),
]
