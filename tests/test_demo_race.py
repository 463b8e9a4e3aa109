"""The reference race must reproduce the known facts of Milano Cortina 2026 exactly."""
import pytest

from timing import demo
from timing.models import Race

pytestmark = pytest.mark.django_db


def by_name(snap):
    return {s["name"]: s for s in snap["standings"]}


def test_it_reproduces_the_podium_and_the_olympic_records(demo_race, snap):
    s = by_name(snap(demo_race.id))
    assert (s["Jutta Leerdam"]["rank"], s["Jutta Leerdam"]["time"], s["Jutta Leerdam"]["record"]) == (1, "1:12.31", "OR")
    assert (s["Femke Kok"]["rank"], s["Femke Kok"]["time"], s["Femke Kok"]["record"]) == (2, "1:12.59", "OR")
    assert (s["Miho Takagi"]["rank"], s["Miho Takagi"]["time"], s["Miho Takagi"]["record"]) == (3, "1:13.95", None)


def test_it_reproduces_every_known_place(demo_race, snap):
    s = by_name(snap(demo_race.id))
    known = {
        "Brittany Bowe": (4, "1:14.55"), "Lamarche": (5, "1:14.73"), "Yamada": (7, "1:15.16"),
        "Suzanne Schulting": (8, "1:15.46"), "Ellia Smeding": (11, "1:15.83"), "Yoshida": (16, "1:16.11"),
        "McGregor": (17, "1:16.16"), "Vigl": (25, "1:17.15"),
    }
    assert {n: (s[n]["rank"], s[n]["time"]) for n in known} == known
    assert s["Erin Jackson"]["rank"] == 6
    assert s["Ellia Smeding"]["behind"] == "+3.52"
    assert len(s) == 30 and len({x["nation"] for x in s.values()}) == 15


def test_it_places_the_known_pairs(demo_race, snap):
    pairs = {p["number"]: p for p in snap(demo_race.id)["pairs"]}
    assert (pairs[15]["inner"]["name"], pairs[15]["outer"]["name"]) == ("Miho Takagi", "Jutta Leerdam")
    assert {pairs[13]["inner"]["name"], pairs[13]["outer"]["name"]} == {"Femke Kok", "Brittany Bowe"}
    assert (pairs[1]["inner"]["name"], pairs[1]["outer"]["name"]) == ("Vigl", "Suzanne Schulting")
    assert pairs[4]["inner"]["name"] == "McGregor"


def test_the_lead_changes_as_the_sources_tell(demo_race, snap):
    """Schulting leads from pair 1 until Jackson in pair 11, Kok in 13, Leerdam in 15."""
    finishes = []
    for p in snap(demo_race.id)["pairs"]:
        for lane in ("inner", "outer"):
            last = p[lane]["passings"][-1]
            if last["distance"] == 1000 and last["leads"]:
                finishes.append((p["number"], p[lane]["name"]))
    assert finishes == [(1, "Suzanne Schulting"), (11, "Erin Jackson"), (13, "Femke Kok"), (15, "Jutta Leerdam")]


def test_leerdams_splits_follow_her_lap_times(demo_race, snap):
    leerdam = {p["number"]: p for p in snap(demo_race.id)["pairs"]}[15]["outer"]
    rows = {x["distance"]: x for x in leerdam["passings"]}
    assert (rows[200]["time"], rows[600]["time"], rows[1000]["time"]) == ("17.68", "43.78", "1:12.31")
    assert (rows[600]["lap"], rows[1000]["lap"]) == ("26.10", "28.53")
    assert rows[1000]["diff"] == "-0.28" and rows[1000]["leads"]
    assert not any(x["invented"] for x in leerdam["passings"]) and not leerdam["invented"]


def test_invented_data_is_marked(demo_race, snap):
    data = snap(demo_race.id)
    assert data["race"]["demo"] is True
    invented_skaters = [s for s in data["standings"] if s["invented"]]
    assert len(invented_skaters) == 18
    jackson = {p["number"]: p for p in data["pairs"]}[11]["inner"]
    assert [x["invented"] for x in jackson["passings"]] == [True, True, True]


def test_loading_twice_changes_nothing(demo_race):
    again, created = demo.load()
    assert (again.id, created) == (demo_race.id, False)
    assert Race.objects.count() == 1
