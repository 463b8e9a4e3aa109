"""The announcer's facts: the targets for the lead and the podium, the records in play."""
import pytest

from timing.announcer import targets

pytestmark = pytest.mark.django_db


def test_to_lead_beat_the_leader_and_for_the_podium_equal_the_third_time():
    assert targets([72310, 72590, 73950, 74550]) == (72310, 73950)


def test_a_shared_rank_keeps_the_third_time_in_list_order():
    # 1, 2, 2, 4: equalling the third time in the list shares 2nd; slower is 4th.
    assert targets([72310, 72590, 72590, 74550]) == (72310, 72590)


def test_with_fewer_than_three_finishers_any_finish_is_a_podium():
    assert targets([72310, 72590]) == (72310, None)
    assert targets([]) == (None, None)


def test_the_api_gives_the_demo_race_its_targets_and_records(client, demo_race):
    data = client.get(f"/api/races/{demo_race.id}/announcer").json()
    assert (data["to_lead"], data["podium"], data["leader"]["name"]) == ("1:12.31", "1:13.95", "Jutta Leerdam")
    assert [r["kind"] for r in data["records"]][:1] == ["WR"]  # the fastest record first
    assert data["version"] == demo_race.version


def test_the_api_and_page_refuse_unknown_races(client, db):
    assert client.get("/api/races/424242/announcer").status_code == 404
    assert client.post("/api/races/424242/announcer").status_code == 405
    assert client.get("/races/424242/announcer/").status_code == 404
    assert client.get("/competitions/424242/announcer/").status_code == 404
