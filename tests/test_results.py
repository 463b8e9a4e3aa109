"""timing/results.py: the result list every output prints, built from the race snapshot."""
import datetime as dt
import json

import pytest

from tests.results_races import DNF_REASON, DNS_REASON, DQ_REASON, with_statuses
from tests.e2e.races import pair_one_skated
from timing import results, services, snapshot
from timing.models import Race

pytestmark = pytest.mark.django_db


def result_list(race_id):
    return results.load(Race.objects.select_related("competition").get(pk=race_id))


@pytest.fixture
def demo_statuses(demo_race):
    return with_statuses(demo_race)


def test_the_demo_race_reproduces_the_facts(demo_statuses):
    rl = result_list(demo_statuses.id)
    first = rl["ranked"][0]
    assert (first["rank"], first["name"], first["nation"], first["time"], first["behind"], first["record"]) == (
        1, "Jutta Leerdam", "NED", "1:12.31", None, "OR",
    )
    assert first["time_exact"] == "1:12.310" and first["invented"] is False and first["time_invented"] is False
    smeding = next(r for r in rl["ranked"] if r["name"] == "Ellia Smeding")
    assert (smeding["rank"], smeding["time"], smeding["behind"]) == (11, "1:15.83", "+3.52")
    assert [r["rank"] for r in rl["ranked"]] == list(range(1, 28))
    becker = rl["ranked"][-1]
    assert (becker["name"], becker["fell"], becker["note"]) == ("J. Becker", True, "Fell")


def test_the_header_names_competition_venue_date_and_race(demo_statuses):
    rl = result_list(demo_statuses.id)
    assert (rl["competition"], rl["venue"], rl["date"], rl["date_text"]) == (
        "Milano Cortina 2026", "Milano Speed Skating Stadium", "2026-02-09", "9 February 2026",
    )
    assert rl["race"] == {"id": demo_statuses.id, "title": "Women's 1000 m", "category": "Women", "distance": 1000}
    assert [p["label"] for p in rl["points"]] == ["200 m", "600 m", "1000 m"]
    assert rl["kind"] == "individual" and rl["demo"] is True and rl["version"] == demo_statuses.version
    assert rl["records"] == [
        {"kind": "WR", "time": "1:11.61", "holder": "Brittany Bowe", "nation": "USA", "venue": "Salt Lake City",
         "year": 2019, "text": "WR 1:11.61 Brittany Bowe (USA), Salt Lake City, 2019"},
        {"kind": "OR", "time": "1:13.19", "holder": "Miho Takagi", "nation": "JPN", "venue": "Beijing",
         "year": 2022, "text": "OR 1:13.19 Miho Takagi (JPN), Beijing, 2022"},
    ]


def test_every_split_and_lap_is_listed_from_the_board(demo_statuses):
    leerdam = result_list(demo_statuses.id)["ranked"][0]
    assert [(s["distance"], s["time"], s["lap"]) for s in leerdam["splits"]] == [
        (200, "17.68", None), (600, "43.78", "26.10"), (1000, "1:12.31", "28.53"),
    ]


def test_unranked_skaters_follow_with_status_and_reason_dnf_dq_dns(demo_statuses):
    unranked = result_list(demo_statuses.id)["unranked"]
    assert [(r["name"], r["status"], r["status_text"], r["reason"], r["rank"], r["time"]) for r in unranked] == [
        ("A. Kowalska", "DNF", "Did not finish", DNF_REASON, None, None),
        ("M. Hansen", "DQ", "Disqualified", DQ_REASON, None, None),
        ("S. Park", "DNS", "Did not start", DNS_REASON, None, None),
    ]
    kowalska, hansen, park = unranked
    assert hansen["note"] == f"Disqualified: {DQ_REASON}" and park["note"] == f"Did not start: {DNS_REASON}"
    assert [s and s["distance"] for s in kowalska["splits"]] == [200, 600, None]  # skated, then no finish
    assert [s["time"] for s in hansen["splits"]] == ["18.50", "46.91", "1:18.71"]  # shown, never ranked
    assert all(s["rank"] is None for s in hansen["splits"])
    assert park["splits"] == [None, None, None]


def test_it_is_unofficial_until_the_race_is_final_and_again_when_reopened(demo_race):
    race = with_statuses(demo_race, close=False)
    live = result_list(race.id)
    assert (live["state"], live["official"], live["status_text"]) == ("live", False, "UNOFFICIAL")
    services.set_race_state(race.id, Race.FINAL, services.REPLAY)
    final = result_list(race.id)
    assert (final["official"], final["status_text"]) == (True, "Official results")
    services.set_race_state(race.id, Race.LIVE, services.REPLAY, reason="late correction")
    assert result_list(race.id)["official"] is False


def test_a_skater_with_neither_finish_nor_status_is_listed_without_a_time(startlist_race):
    pair_one_skated(startlist_race, start_pair_two=False)
    rl = result_list(startlist_race.id)
    assert [(r["rank"], r["name"]) for r in rl["ranked"]] == [(1, "Suzanne Schulting"), (2, "Vigl")]
    assert len(rl["unranked"]) == 28 and {r["status"] for r in rl["unranked"]} == {"NT"}
    assert rl["unranked"][0]["status_text"] == rl["unranked"][0]["note"] == "No time recorded"
    assert rl["ranked"][0]["note"] == ""
    assert [(r["pair"], r["lane"]) for r in rl["unranked"][:3]] == [(2, "inner"), (2, "outer"), (3, "inner")]


def test_the_date_falls_back_to_the_plan_then_the_competition(startlist_race):
    race = Race.objects.select_related("competition").get(pk=startlist_race.id)
    assert result_list(race.id)["date"] == "2026-02-06"  # nothing planned, nothing started
    race.competition.time_zone = "Asia/Tokyo"
    race.competition.save()
    race.scheduled_at = dt.datetime(2026, 2, 9, 20, 30, tzinfo=dt.timezone.utc)  # 05:30 on the 10th in Tokyo
    race.save()
    assert results.build(race, snapshot.build(race))["date"] == "2026-02-10"


def test_it_is_plain_data_that_json_carries_unchanged(demo_statuses):
    rl = result_list(demo_statuses.id)
    assert json.loads(json.dumps(rl)) == rl


def test_a_race_kind_without_a_builder_says_it_has_no_list_yet(demo_race):
    # Every kind Oval times has a list (team pursuit and mass start: tests/test_formats_api.py);
    # a kind added later without one is refused by name.
    race = Race.objects.select_related("competition").get(pk=demo_race.id)
    race.kind = "team_sprint"
    with pytest.raises(results.Unsupported) as caught:
        results.load(race)
    assert str(caught.value) == "There is no result list for team_sprint races yet."
