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


# --- classification targets for the pair on the ice and the next one ------------------------------

SIX = [("Joy Beune", "NED"), ("Ragne Wiklund", "NOR"), ("Irene Schouten", "NED"),
       ("Isabelle Weidemann", "CAN"), ("Marijke Groenewoud", "NED"), ("Antoinette Rijpma", "NED")]


def test_the_facts_carry_each_classifications_targets_for_the_pair_on_the_ice_and_the_next(db):
    from timing import services
    from timing.announcer import facts
    from timing.classifications import create_classification
    from timing.startlists import Entry, create_race

    entries = [Entry(n // 2 + 1, ("inner", "outer")[n % 2], name, nation) for n, (name, nation) in enumerate(SIX)]
    r500, r1000 = (create_race("Announcer Sprint", f"{d} m", "Women", d, entries) for d in (500, 1000))
    c = create_classification(r500.competition_id, "Mini sprint", "custom", [r500.id, r1000.id], services.REPLAY)
    for n, (pair, lane) in enumerate([(p, lane) for p in (1, 2, 3) for lane in ("inner", "outer")]):
        services.record_passing(r500.id, pair, lane, 500, 38000 + 100 * n, services.REPLAY)

    got = facts(r1000.id)["classifications"]
    assert [(x["id"], x["name"], x["distance"]) for x in got] == [(c.id, "Mini sprint", 1000)]
    targets = got[0]["targets"]
    # Pair 1 is up, pair 2 next; pair 3 is not the announcer's yet.
    assert [(t["pair"], t["lane"], t["skater"]["name"], t["rank"], t["points"]) for t in targets] == [
        (1, "inner", "Joy Beune", 1, "38.000"), (1, "outer", "Ragne Wiklund", 2, "38.100"),
        (2, "inner", "Irene Schouten", 3, "38.200"), (2, "outer", "Isabelle Weidemann", 4, "38.300"),
    ]
    # Wiklund is 0.100 points behind Beune: 0.20 s on the 1000 m.
    assert targets[1]["lead"]["text"] == "0.20 s faster than Joy Beune"
    assert targets[0]["podium"]["text"]
    # The 500 m's own facts name no classification: its next distance is the 1000 m.
    assert facts(r500.id)["classifications"] == []
