"""The read side is open: any origin may read the JSON, a matching ETag gets a 304, the results
feed holds the whole day, the widget may be framed anywhere and nothing else may."""
import pytest

from timing import services
from timing.models import Competition

pytestmark = pytest.mark.django_db


def test_a_race_read_answers_any_origin_and_is_cacheable(client, demo_race):
    response = client.get(f"/api/races/{demo_race.id}/", headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*" and "Access-Control-Allow-Credentials" not in response
    assert response["Cache-Control"] == "public, max-age=1"
    assert response["ETag"] == f'"{demo_race.id}-{demo_race.version}"'


def test_a_matching_etag_gets_a_304_and_a_stale_one_the_document(client, demo_race):
    etag = client.get(f"/api/races/{demo_race.id}/")["ETag"]
    same = client.get(f"/api/races/{demo_race.id}/", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b"" and same["ETag"] == etag
    assert same["Access-Control-Allow-Origin"] == "*"
    services.set_race_state(demo_race.id, "live", services.IMPORT, reason="late correction")
    moved = client.get(f"/api/races/{demo_race.id}/", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved["ETag"] != etag and moved.json()["race"]["state"] == "live"


def test_the_schedule_and_the_race_list_are_open_too(client, demo_race):
    comp = demo_race.competition
    schedule = client.get(f"/api/competitions/{comp.id}/")
    assert schedule["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"/api/competitions/{comp.id}/", headers={"If-None-Match": schedule["ETag"]}).status_code == 304
    assert client.get("/api/races/")["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/races/999999/")["Access-Control-Allow-Origin"] == "*"


def test_reads_refuse_writing_methods(client, demo_race):
    assert client.post(f"/api/races/{demo_race.id}/").status_code == 405
    assert client.delete(f"/api/competitions/{demo_race.competition_id}/").status_code == 405


def test_the_results_feed_holds_every_race_of_the_day_in_schedule_order(client, demo_race):
    comp = demo_race.competition
    later = services.create_race(comp.id, {"title": "Men's 500 m", "category": "Men", "distance": 500}, services.IMPORT)
    feed = client.get(f"/api/competitions/{comp.id}/results")
    body = feed.json()
    assert feed.status_code == 200 and feed["Access-Control-Allow-Origin"] == "*"
    assert body["schedule"]["competition"]["name"] == comp.name
    assert [r["race"]["id"] for r in body["races"]] == [demo_race.id, later.id]
    leerdam = body["races"][0]["standings"][0]
    assert (leerdam["name"], leerdam["time"], leerdam["record"]) == ("Jutta Leerdam", "1:12.31", "OR")
    assert client.get(f"/api/competitions/{comp.id}/results", headers={"If-None-Match": feed["ETag"]}).status_code == 304
    services.update_race(later.id, {"title": "Men's 500 m (A)"}, services.IMPORT)
    assert client.get(f"/api/competitions/{comp.id}/results", headers={"If-None-Match": feed["ETag"]}).status_code == 200
    assert client.get(f"/api/competitions/{Competition.objects.count() + 99}/results").status_code == 404


def test_only_the_widget_may_be_framed_by_another_site(client, demo_race):
    widget = client.get(f"/races/{demo_race.id}/embed/")
    assert widget.status_code == 200 and "X-Frame-Options" not in widget
    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    assert "script-src 'self'" in widget["Content-Security-Policy"]
    for page in (f"/races/{demo_race.id}/", f"/races/{demo_race.id}/board/", "/"):
        response = client.get(page)
        assert response["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert client.get("/races/999999/embed/").status_code == 404
