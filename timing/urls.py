from django.urls import path

from . import api, api_write, officials, views

urlpatterns = [
    # Pages: screens for everyone.
    path("", views.home, name="home"),
    path("competitions/<int:competition_id>/", views.competition, name="competition"),
    path("races/<int:race_id>/", views.spectator, name="spectator"),
    path("races/<int:race_id>/board/", views.board, name="board"),
    # Reading: public JSON.
    path("api/races/", api.race_list, name="api-races"),
    path("api/races/<int:race_id>/", api.race_snapshot, name="api-race"),
    # Officials: login and the console (timing/officials.py).
    path("login/", officials.LoginView.as_view(), name="login"),
    path("logout/", officials.LogoutView.as_view(), name="logout"),
    path("officials/", officials.races, name="officials"),
    path("officials/races/<int:race_id>/", officials.console, name="console"),
    path("officials/races/<int:race_id>/audit/", officials.audit, name="audit"),
    path("officials/races/<int:race_id>/audit.json", officials.audit_json, name="audit-json"),
    # Writing: officials and devices, JSON (timing/api_write.py).
    path("api/races/<int:race_id>/passings", api_write.passings, name="api-passings"),
    path("api/races/<int:race_id>/pairs/<int:pair>/start", api_write.start, name="api-start"),
    path("api/races/<int:race_id>/status", api_write.status, name="api-status"),
    path("api/races/<int:race_id>/fall", api_write.fall, name="api-fall"),
    path("api/races/<int:race_id>/current-pair", api_write.current_pair, name="api-current-pair"),
    path("api/races/<int:race_id>/state", api_write.state, name="api-state"),
    path("api/passings/<int:passing_id>/correct", api_write.correct, name="api-correct"),
    path("api/passings/<int:passing_id>/void", api_write.void, name="api-void"),
]
