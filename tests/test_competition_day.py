"""The competition day's writes: competitions, their races, the race on the ice, whole start
lists. Every refusal says why and changes nothing; every acceptance is one version and one audit
row of the competition (or the race), pushed on the schedule's topic."""
import datetime as dt

import pytest

from tests.conftest import snapshot
from timing import schedule, services
from timing.models import Change, Competition, Pair, Race, Start
from timing.services import Actor, Conflict, Invalid, NotFound
from timing.startlists import Entry

pytestmark = pytest.mark.django_db

DESK = Actor.from_device("entry-system")
DAY = {"name": "World Cup Heerenveen", "venue": "Thialf", "starts_on": "2026-11-27", "ends_on": "2026-11-29",
       "time_zone": "Europe/Amsterdam"}
ENTRIES = [Entry(1, "inner", "Vigl", "ITA"), Entry(1, "outer", "Suzanne Schulting", "NED"),
           Entry(2, "inner", "Femke Kok", "NED")]


@pytest.fixture
def comp():
    return services.create_competition(DAY, DESK)


@pytest.fixture
def race(comp):
    race = services.create_race(comp.id, {"title": "Women's 1000 m", "category": "Women", "distance": 1000,
                                          "scheduled_at": "2026-11-27T16:00"}, DESK)
    services.replace_startlist(race.id, ENTRIES, DESK)
    return Race.objects.get(pk=race.id)


def everything():
    """Every row a competition-day write could touch, and every schedule as screens see it."""
    return {
        "competitions": list(Competition.objects.order_by("id").values()),
        "races": list(Race.objects.order_by("id").values()),
        "changes": list(Change.objects.order_by("id").values()),
        "pairs": list(Pair.objects.order_by("id").values()),
        "starts": list(Start.objects.order_by("id").values()),
        "schedules": [schedule.build(c) for c in Competition.objects.order_by("id")],
    }


def refused(error, call, *args):
    before = everything()
    with pytest.raises(services.ServiceError) as caught:
        call(*args)
    assert type(caught.value) is error, f"{type(caught.value).__name__}: {caught.value.message}"
    assert everything() == before
    return caught.value


def one_schedule_change(comp, call, *args):
    """Call; prove the competition moved by exactly one version with one audit row naming it."""
    version = Competition.objects.get(pk=comp.id).version
    audit = Change.objects.filter(competition=comp).count()
    result = call(*args)
    assert Competition.objects.get(pk=comp.id).version == version + 1
    assert Change.objects.filter(competition=comp).count() == audit + 1
    assert Change.objects.filter(competition=comp).latest("version").version == version + 1
    return result


def schedule_moved(comp, call, *args):
    """Call a race's write; prove the schedule moved by one version (the audit row is the race's)."""
    version = Competition.objects.get(pk=comp.id).version
    audit = Change.objects.filter(competition=comp).count()
    result = call(*args)
    assert Competition.objects.get(pk=comp.id).version == version + 1
    assert Change.objects.filter(competition=comp).count() == audit
    return result


def test_a_new_competition_is_version_one_with_its_audit_row(comp):
    assert (comp.name, comp.venue, comp.starts_on, comp.time_zone, comp.version) == (
        "World Cup Heerenveen", "Thialf", dt.date(2026, 11, 27), "Europe/Amsterdam", 1)
    change = Change.objects.get(competition=comp)
    assert (change.version, change.action, change.device) == (1, "competition", "entry-system")


@pytest.mark.parametrize("data,field", [
    ({**DAY, "name": "  "}, "name"),
    ({**DAY, "name": "x" * 201}, "name"),
    ({**DAY, "time_zone": "Mars/Olympus"}, "time_zone"),
    ({**DAY, "time_zone": "../../etc/passwd"}, "time_zone"),
    ({**DAY, "starts_on": "27-11-2026"}, "starts_on"),
    ({**DAY, "ends_on": "2026-11-26"}, "ends_on"),
    ({**DAY, "olympic": "yes"}, "olympic"),
    ({**DAY, "owner": "me"}, "owner"),
])
def test_a_bad_competition_is_refused_with_the_field_named(data, field):
    assert refused(Invalid, services.create_competition, data, DESK).field == field


def test_editing_a_competition_is_one_audited_schedule_change(comp):
    one_schedule_change(comp, services.update_competition, comp.id, {"venue": "Thialf, Heerenveen"}, DESK)
    change = Change.objects.filter(competition=comp).latest("version")
    assert "Thialf ·" in change.old_value and "Thialf, Heerenveen" in change.new_value
    assert schedule.load(comp.id)["competition"]["venue"] == "Thialf, Heerenveen"


def test_editing_a_competition_refuses_nothing_to_change_and_unknown_ones(comp):
    refused(Invalid, services.update_competition, comp.id, {"venue": "Thialf"}, DESK)
    refused(NotFound, services.update_competition, comp.id + 99, {"venue": "Thialf"}, DESK)
    refused(Invalid, services.update_competition, "1", {"venue": "Thialf"}, DESK)


def test_a_race_is_added_last_with_its_time_read_in_the_venues_zone(comp):
    first = one_schedule_change(comp, services.create_race, comp.id,
                                {"title": "Women's 500 m", "category": "Women", "distance": 500,
                                 "scheduled_at": "2026-11-27T15:00"}, DESK)
    second = services.create_race(comp.id, {"title": "Men's 500 m", "category": "Men", "distance": 500,
                                            "scheduled_at": "2026-11-27T15:30+00:00"}, DESK)
    assert (first.order, second.order) == (1, 2)
    rows = schedule.load(comp.id)["races"]
    assert [r["title"] for r in rows] == ["Women's 500 m", "Men's 500 m"]
    # 15:00 in Heerenveen in November is 14:00 UTC; 15:30 UTC reads 16:30 on the venue's clock.
    assert rows[0]["scheduled_at"] == "2026-11-27T15:00:00+01:00" and rows[0]["scheduled_local"] == "15:00"
    assert rows[0]["scheduled_ms"] == int(dt.datetime(2026, 11, 27, 14, tzinfo=dt.timezone.utc).timestamp() * 1000)
    assert rows[1]["scheduled_local"] == "16:30"


@pytest.mark.parametrize("data,field", [
    ({"title": "Women's 800 m", "category": "Women", "distance": 800}, "distance"),
    ({"title": "Team pursuit", "category": "Women", "distance": 1000, "kind": "team_pursuit"}, "distance"),
    ({"title": "Relay", "category": "Women", "distance": 500, "kind": "relay"}, "kind"),
    ({"title": "Women's 500 m", "category": "Women", "distance": 500, "scheduled_at": "tomorrow 3pm"}, "scheduled_at"),
    ({"title": "", "category": "Women", "distance": 500}, "title"),
    ({"title": "Women's 500 m", "category": "", "distance": 500}, "category"),
    ({"title": "Women's 500 m", "category": "Women", "distance": "500"}, "distance"),
    ({"title": "Women's 500 m", "category": "Women", "distance": 500, "order": -1}, "order"),
])
def test_a_bad_race_is_refused_with_the_field_named(comp, data, field):
    assert refused(Invalid, services.create_race, comp.id, data, DESK).field == field


def test_a_race_on_an_unknown_competition_or_a_second_title_is_refused(comp, race):
    data = {"title": "Women's 1000 m", "category": "Women", "distance": 1000}
    refused(NotFound, services.create_race, comp.id + 99, data, DESK)
    assert "already has a race" in refused(Conflict, services.create_race, comp.id, data, DESK).message


def test_renaming_a_race_moves_the_race_and_the_schedule(comp, race):
    version = race.version
    schedule_moved(comp, services.update_race, race.id, {"title": "Women's 1000 m (A)"}, DESK)
    assert Race.objects.get(pk=race.id).version == version + 1
    assert Change.objects.filter(race=race).latest("version").action == "race"
    assert schedule.load(comp.id)["races"][0]["title"] == "Women's 1000 m (A)"


def test_a_started_race_keeps_its_distance(comp, race):
    services.start_pair(race.id, 1, DESK)
    assert refused(Conflict, services.update_race, race.id, {"distance": 1500}, DESK).field == "distance"
    services.update_race(race.id, {"scheduled_at": "2026-11-27T16:10"}, DESK)  # the time still may


def test_the_race_on_the_ice_is_one_schedule_change(comp, race):
    one_schedule_change(comp, services.set_on_ice, comp.id, race.id, DESK)
    assert schedule.load(comp.id)["on_ice"] == race.id
    change = Change.objects.filter(competition=comp).latest("version")
    assert (change.action, change.new_value) == ("on ice", f"race {race.id}: Women's 1000 m")
    one_schedule_change(comp, services.set_on_ice, comp.id, None, DESK)
    assert schedule.load(comp.id)["on_ice"] is None


def test_the_race_on_the_ice_must_be_a_race_of_the_competition(comp, race):
    other = services.create_competition({**DAY, "name": "Club meet"}, DESK)
    alien = services.create_race(other.id, {"title": "Men's 500 m", "category": "Men", "distance": 500}, DESK)
    assert "another competition" in refused(Invalid, services.set_on_ice, comp.id, alien.id, DESK).message
    refused(NotFound, services.set_on_ice, comp.id, alien.id + 99, DESK)
    refused(Invalid, services.set_on_ice, comp.id, str(race.id), DESK)
    services.set_on_ice(comp.id, race.id, DESK)
    assert "already on the ice" in refused(Invalid, services.set_on_ice, comp.id, race.id, DESK).message


def test_a_race_going_live_moves_the_schedule_and_a_time_does_not(comp, race):
    schedule_moved(comp, services.start_pair, race.id, 1, DESK)  # scheduled -> live
    assert schedule.load(comp.id)["races"][0]["state"] == "live"
    version = Competition.objects.get(pk=comp.id).version
    services.record_passing(race.id, 1, "inner", 200, 18190, DESK)
    services.set_current_pair(race.id, 2, DESK)
    assert Competition.objects.get(pk=comp.id).version == version


def test_a_whole_start_list_replaces_the_old_one_before_the_start(race):
    entries = [Entry(1, "inner", "Jutta Leerdam", "NED", 72310, licence="NED-1998-01"),
               Entry(1, "outer", "Miho Takagi", "JPN"), Entry(2, "outer", "Erin Jackson", "USA")]
    version = race.version
    services.replace_startlist(race.id, entries, DESK)
    snap = snapshot(race.id)
    assert snap["version"] == version + 1
    assert [(p["number"], (p["inner"] or {}).get("name"), (p["outer"] or {}).get("name")) for p in snap["pairs"]] == [
        (1, "Jutta Leerdam", "Miho Takagi"), (2, None, "Erin Jackson")]
    assert Start.objects.get(pair__race=race, skater__name="Jutta Leerdam").skater.licence == "NED-1998-01"
    assert Change.objects.filter(race=race).latest("version").new_value == "3 skaters in 2 pairs"


@pytest.mark.parametrize("entries,words", [
    ([Entry(1, "inner", "A", "NED"), Entry(1, "inner", "B", "NED")], "two skaters in the inner lane"),
    ([Entry(1, "inner", "A", "NED"), Entry(3, "inner", "B", "NED")], "without gaps"),
    ([Entry(1, "inner", "A", "NED"), Entry(2, "inner", "A", "NED")], "twice"),
    ([], "no skaters"),
])
def test_a_bad_start_list_is_refused_whole(race, entries, words):
    assert words in refused(Invalid, services.replace_startlist, race.id, entries, DESK).message


def test_a_start_list_is_locked_once_a_pair_has_started(race):
    services.start_pair(race.id, 1, DESK)
    assert "has started" in refused(Conflict, services.replace_startlist, race.id, ENTRIES[:2], DESK).message
