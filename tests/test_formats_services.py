"""Team pursuit and mass start through the one write path: every refusal names the problem and
changes nothing; every accepted write is one version and one audit row."""
import pytest

from tests.conftest import snapshot
from tests.test_services import accepted, last_change, refused
from timing import services
from timing.formats import crossings
from timing.models import Crossing, Race
from timing.services import Conflict, Invalid, NotFound
from timing.startlists import Entry, create_race

pytestmark = pytest.mark.django_db

DEVICE = services.Actor.from_device("transponder-loop")
TEAMS = [
    Entry(1, "inner", "Netherlands", "NED", team_skaters=("Joy Beune", "Antoinette Rijpma-de Jong", "Marijke Groenewoud")),
    Entry(1, "outer", "Canada", "CAN", team_skaters=("Ivanie Blondin", "Valérie Maltais", "Isabelle Weidemann")),
    Entry(2, "inner", "Japan", "JPN", team_skaters=("Miho Takagi", "Ayano Sato", "Momoka Horikawa", "Nana Takagi")),
]


@pytest.fixture
def pursuit(db):
    return create_race("Test World Cup", "Women's team pursuit", "Women", 2400, TEAMS, kind=Race.TEAM_PURSUIT)


@pytest.fixture
def mass(db):
    field = [Entry(0, "", f"Skater {bib}", "NED", bib=bib) for bib in (1, 2, 3, 7)]
    return create_race("Test World Cup", "Women's mass start", "Women", 6400, field, kind=Race.MASS_START)


def cross(race, bib, ms, actor=DEVICE):
    return accepted(race, crossings.record_crossing, race.id, bib, ms, actor)


def skater(race, bib):
    return next(s for s in snapshot(race.id)["skaters"] if s["bib"] == bib)


def lap_times(race, bib, laps, offset=0, start=1):
    for lap in range(start, start + laps):
        cross(race, bib, 30000 * lap + offset)


# --- team pursuit ------------------------------------------------------------------------------


def test_a_team_pursuit_is_pairs_of_teams_with_their_skaters(pursuit):
    snap = snapshot(pursuit.id)
    assert (snap["race"]["kind"], snap["race"]["points"]) == ("team_pursuit", [400, 800, 1200, 1600, 2000, 2400])
    inner = snap["pairs"][0]["inner"]
    assert (inner["team"], inner["nation"]) == ("Netherlands", "NED")
    assert inner["skaters"] == ["Joy Beune", "Antoinette Rijpma-de Jong", "Marijke Groenewoud"]
    assert len(snap["pairs"][1]["inner"]["skaters"]) == 4


def test_a_team_pursuit_passing_is_a_lap_time_with_the_head_to_head(pursuit):
    accepted(pursuit, services.record_passing, pursuit.id, 1, "inner", 400, 28000, DEVICE)
    accepted(pursuit, services.record_passing, pursuit.id, 1, "outer", 400, 28210, DEVICE)
    pair = snapshot(pursuit.id)["pairs"][0]
    ned, can = pair["inner"]["passings"][0], pair["outer"]["passings"][0]
    assert (ned["lap"], ned["versus"], ned["ahead"]) == ("28.00", "-0.21", True)
    assert (can["versus"], can["ahead"], can["leads"]) == ("+0.21", False, False)


def test_the_third_skaters_finish_ranks_the_teams(pursuit):
    for lane, finish in (("inner", 170000), ("outer", 170800)):
        for point in range(400, 2400, 400):
            accepted(pursuit, services.record_passing, pursuit.id, 1, lane, point, point * 70, DEVICE)
        accepted(pursuit, services.record_passing, pursuit.id, 1, lane, 2400, finish, DEVICE)
    standings = snapshot(pursuit.id)["standings"]
    assert [(s["rank"], s["name"], s["time"], s["skaters"][0]) for s in standings[:2]] == [
        (1, "Netherlands", "2:50.00", "Joy Beune"), (2, "Canada", "2:50.80", "Ivanie Blondin"),
    ]


@pytest.mark.parametrize("distance", [500, 200, 100, 3200])
def test_a_team_pursuit_time_at_500_m_is_refused(pursuit, distance):
    error = refused(pursuit, Invalid, services.record_passing, pursuit.id, 1, "inner", distance, 40000, DEVICE)
    assert error.field == "distance"
    assert "every lap from the team's own line (400, 800, 1200, 1600, 2000, 2400)" in error.message


def test_a_team_pursuit_keeps_the_order_check(pursuit):
    accepted(pursuit, services.record_passing, pursuit.id, 1, "inner", 800, 56000, DEVICE)
    refused(pursuit, Conflict, services.record_passing, pursuit.id, 1, "inner", 400, 57000, DEVICE)


def test_a_team_pursuit_takes_no_crossings(pursuit):
    error = refused(pursuit, Conflict, crossings.record_crossing, pursuit.id, 1, 30000, DEVICE)
    assert "not a mass start" in error.message


# --- mass start: crossings -----------------------------------------------------------------------


def test_a_mass_start_snapshot_has_skaters_sprints_and_laps(mass):
    snap = snapshot(mass.id)
    assert (snap["race"]["kind"], snap["race"]["laps"], snap["laps_to_go"], snap["next_sprint"]) == (
        "mass_start", 16, 16, 4,
    )
    assert [s["bib"] for s in snap["skaters"]] == [1, 2, 3, 7]
    assert snap["sprints"] == [] and snap["pairs"][0]["number"] == 1


def test_the_server_counts_the_laps(mass):
    first = cross(mass, 7, 31000)
    second = cross(mass, 7, 61000)
    assert (first.lap, second.lap) == (1, 2)
    s = skater(mass, 7)
    assert (s["laps_done"], s["last"], [c["lap_time"] for c in s["crossings"]]) == (2, "1:01.00", ["31.00", "30.00"])
    change = last_change(mass)
    assert (change.action, change.bib, change.distance, change.new_value, change.device) == (
        "crossing", 7, 800, "1:01.000", "transponder-loop",
    )


def test_a_crossing_makes_the_race_live(mass):
    cross(mass, 1, 30000)
    assert Race.objects.get(pk=mass.id).state == Race.LIVE


def test_sprint_points_appear_at_lap_4(mass):
    for bib, offset in ((1, 0), (2, 100), (3, 200), (7, 300)):
        lap_times(mass, bib, 4, offset)
    snap = snapshot(mass.id)
    assert snap["sprints"] == [{"lap": 4, "order": [1, 2, 3, 7], "places": [1, 2, 3, 4], "points": [3, 2, 1, 0],
                                "final": False}]
    assert skater(mass, 1)["sprints"] == [{"lap": 4, "place": 1, "points": 3}]
    assert snap["next_sprint"] == 8 and snap["laps_to_go"] == 12


def test_a_crossing_for_an_unknown_bib_is_refused(mass):
    error = refused(mass, NotFound, crossings.record_crossing, mass.id, 99, 30000, DEVICE)
    assert (error.field, error.message) == ("bib", "Women's mass start has no skater with bib 99.")


@pytest.mark.parametrize("bib", ["7", 0, 1000, True, None])
def test_a_bib_that_is_not_a_start_number_is_refused(mass, bib):
    assert refused(mass, Invalid, crossings.record_crossing, mass.id, bib, 30000, DEVICE).field == "bib"


def test_a_crossing_earlier_than_the_previous_one_is_refused(mass):
    cross(mass, 7, 60000)
    error = refused(mass, Conflict, crossings.record_crossing, mass.id, 7, 59000, DEVICE)
    assert error.message.startswith("59.000 s is not later than the skater's lap 1 crossing")


def test_a_17th_lap_is_refused(mass):
    lap_times(mass, 7, 16)
    error = refused(mass, Conflict, crossings.record_crossing, mass.id, 7, 17 * 30000, DEVICE)
    assert "17th lap does not exist" in error.message


@pytest.mark.parametrize("ms", [0, -5, 40 * 60 * 1000, "30.00"])
def test_an_impossible_time_is_refused(mass, ms):
    refused(mass, Invalid, crossings.record_crossing, mass.id, 7, ms, DEVICE)


def test_a_lap_too_fast_for_a_skater_is_refused(mass):
    cross(mass, 7, 30000)
    assert "faster than any skater" in refused(mass, Invalid, crossings.record_crossing, mass.id, 7, 45000, DEVICE).message


def test_a_mass_start_takes_no_passings_by_pair_and_lane(mass):
    error = refused(mass, Conflict, services.record_passing, mass.id, 1, "inner", 400, 30000, DEVICE)
    assert "is a mass start: send crossings of the line by bib" in error.message


def test_a_final_race_takes_no_crossings(mass):
    accepted(mass, services.set_race_state, mass.id, Race.LIVE, DEVICE)
    accepted(mass, services.set_race_state, mass.id, Race.FINAL, DEVICE)
    refused(mass, Conflict, crossings.record_crossing, mass.id, 7, 30000, DEVICE)


# --- corrections and voids ----------------------------------------------------------------------


def test_a_correction_that_changes_who_won_a_sprint_moves_the_points(mass):
    lap_times(mass, 1, 4, 0)
    lap_times(mass, 2, 4, 100)
    lap4 = Crossing.objects.current().get(start__bib=1, time_ms=120000)
    new = accepted(mass, crossings.correct_crossing, lap4.id, 120200, "photo finish", DEVICE)
    assert new.lap == 4 and new.corrects_id == lap4.id
    assert snapshot(mass.id)["sprints"][0]["order"] == [2, 1]
    assert (skater(mass, 1)["points"], skater(mass, 2)["points"]) == (2, 3)
    change = last_change(mass)
    assert (change.action, change.old_value, change.new_value, change.reason, change.distance) == (
        "correction", "2:00.000", "2:00.200", "photo finish", 1600,
    )
    assert Crossing.objects.filter(start__bib=1).count() == 5  # the old row stays, superseded


def test_a_correction_must_stay_between_its_neighbours(mass):
    lap_times(mass, 7, 3)
    middle = Crossing.objects.get(time_ms=60000)
    refused(mass, Conflict, crossings.correct_crossing, middle.id, 90000, "typo", DEVICE)
    refused(mass, Invalid, crossings.correct_crossing, middle.id, 61000, "", DEVICE)
    refused(mass, Invalid, crossings.correct_crossing, middle.id, 60000, "same", DEVICE)
    refused(mass, NotFound, crossings.correct_crossing, 999999, 61000, "typo", DEVICE)


def test_a_double_read_is_refused_as_an_impossible_lap(mass):
    cross(mass, 7, 30000)
    error = refused(mass, Invalid, crossings.record_crossing, mass.id, 7, 30400, DEVICE)
    assert error.message.startswith("Lap 2 in 0.400 s would be faster than any skater")


def test_voiding_a_wrong_read_renumbers_the_later_laps(mass):
    cross(mass, 7, 30000)
    wrong = cross(mass, 7, 52000)  # another skater's transponder, read as bib 7
    cross(mass, 7, 75000)
    voided = accepted(mass, crossings.void_crossing, wrong.id, "read of bib 1's transponder", DEVICE)
    assert voided.lap == 2 and last_change(mass).distance == 800
    assert [(c["lap"], c["time_ms"]) for c in skater(mass, 7)["crossings"]] == [(1, 30000), (2, 75000)]
    assert Crossing.objects.filter(start__bib=7).count() == 3  # the voided row stays
    refused(mass, Conflict, crossings.void_crossing, wrong.id, "again", DEVICE)


def test_a_crossing_carries_its_exact_time_for_the_consoles_correction(mass):
    cross(mass, 7, 31004)
    assert [(c["time"], c["exact"]) for c in skater(mass, 7)["crossings"]] == [("31.00", "31.004")]


def test_a_mass_start_with_crossings_cannot_recall_its_start(mass):
    accepted(mass, services.start_pair, mass.id, 1, DEVICE)
    cross(mass, 7, 31000)
    error = refused(mass, Conflict, services.start_pair, mass.id, 1, DEVICE, None, True)
    assert error.message == "Pair 1 already has times; void them before restarting its clock."


# --- statuses by bib -----------------------------------------------------------------------------


def test_dns_takes_no_crossings_and_a_dnf_no_finish(mass):
    accepted(mass, crossings.set_bib_status, mass.id, 3, "DNS", "", DEVICE)
    refused(mass, Conflict, crossings.record_crossing, mass.id, 3, 30000, DEVICE)
    lap_times(mass, 7, 15)
    accepted(mass, crossings.set_bib_status, mass.id, 7, "DNF", "fell", DEVICE)
    assert "DNF" in refused(mass, Conflict, crossings.record_crossing, mass.id, 7, 16 * 30000, DEVICE).message
    assert [s["status"] for s in snapshot(mass.id)["standings"]][-2:] == ["DNF", "DNS"]


def test_a_finished_skater_cannot_be_dnf_and_a_dq_needs_a_reason(mass):
    lap_times(mass, 7, 16)
    refused(mass, Conflict, crossings.set_bib_status, mass.id, 7, "DNF", "", DEVICE)
    refused(mass, Invalid, crossings.set_bib_status, mass.id, 7, "DQ", "", DEVICE)
    accepted(mass, crossings.set_bib_status, mass.id, 7, "DQ", "impeding", DEVICE)
    assert last_change(mass).bib == 7
    assert snapshot(mass.id)["standings"][-1]["status"] == "DQ"


def test_status_by_pair_and_lane_is_refused_in_a_mass_start(mass):
    refused(mass, Conflict, services.set_status, mass.id, 1, "inner", "DNS", "", DEVICE)


def test_an_officials_team_pursuit_entry_passes_the_soft_checks_on_the_teams_laps(pursuit, official):
    # The plausibility warnings and the next point use the team pursuit's own points (every lap).
    accepted(pursuit, services.start_pair, pursuit.id, 1, DEVICE)
    accepted(pursuit, services.record_passing, pursuit.id, 1, "inner", 400, 30100, services.Actor.official(official))
    accepted(pursuit, services.record_passing, pursuit.id, 1, "inner", 800, 58600, services.Actor.official(official))
    assert snapshot(pursuit.id)["pairs"][0]["inner"]["next_point"] == 1200


def test_a_team_pursuit_fed_over_lynx_finds_each_lap(pursuit):
    from timing.devices.listener import LynxSession
    from timing.devices.lynx import Parser, packet

    session = LynxSession(pursuit.id, inner_id="1", device="lynx")
    zero = 14 * 3600 * 1000
    stream = packet("Z", zero) + b"".join(packet("S", zero + ms, lane) for ms, lane in (
        (30100, 1), (30300, 2), (58600, 1), (58900, 2)))
    for p in Parser().feed(stream):
        session.handle(p)
    pair = snapshot(pursuit.id)["pairs"][0]
    assert [x["distance"] for x in pair["inner"]["passings"]] == [400, 800]
    assert pair["outer"]["passings"][1]["versus"] == "+0.30"


# --- what the pages need: lap counters and gaps at each lap --------------------------------------


def test_a_team_pursuit_team_carries_its_lap_counter(pursuit):
    assert snapshot(pursuit.id)["pairs"][0]["inner"]["laps"] == {"to_go": 6, "before": None, "at_ms": None}
    accepted(pursuit, services.record_passing, pursuit.id, 1, "inner", 400, 28000, DEVICE)
    accepted(pursuit, services.record_passing, pursuit.id, 1, "inner", 800, 56000, DEVICE)
    heat = snapshot(pursuit.id)["pairs"][0]
    assert heat["inner"]["laps"] == {"to_go": 4, "before": 5, "at_ms": 56000}
    assert heat["outer"]["laps"]["to_go"] == 6


def test_the_mass_start_lap_counter_follows_the_leader_and_marks_the_sprint_lap(mass):
    counter = snapshot(mass.id)["lap_counter"]
    assert counter == {"to_go": 16, "sprint": False, "last": False, "before": None, "at_ms": None}
    lap_times(mass, 7, 3)
    lap_times(mass, 1, 2, offset=400)
    counter = snapshot(mass.id)["lap_counter"]
    assert counter == {"to_go": 13, "sprint": True, "last": False,
                       "before": {"to_go": 14, "sprint": False, "last": False}, "at_ms": 90000}


def test_each_crossing_carries_its_gap_to_the_front_of_that_lap(mass):
    lap_times(mass, 7, 2)
    lap_times(mass, 1, 2, offset=1250)
    lap_times(mass, 2, 1, offset=-300)
    gaps = {s["bib"]: [(c["behind_ms"], c["behind"]) for c in s["crossings"]] for s in snapshot(mass.id)["skaters"]}
    assert gaps[2] == [(0, None)]
    assert gaps[7] == [(300, "+0.30"), (0, None)]
    assert gaps[1] == [(1550, "+1.55"), (1250, "+1.25")]
