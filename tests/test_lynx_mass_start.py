"""A mass start of 20 skaters over the Lynx protocol, the S identifier being the bib: the same
standings, sprints and laps as the same race entered through the crossings API."""
import pytest

from tests.callers import callers, fast_password_hashing  # noqa: F401
from tests.test_lynx_listener import lynx, send, wait_until_handled  # noqa: F401
from timing.devices.lynx import packet
from timing.formats.demo import mass_start_script
from timing.models import Change, Crossing, Race
from timing.startlists import Entry, create_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ZERO = (14 * 3600 + 5 * 60) * 1000  # the device's time of day at the start: 14:05:00.000


def field(title):
    entries = [Entry(1, "", f"Skater {b}", "NED", bib=b) for b in range(1, 21)]
    return create_race("Test World Cup", title, "Men", 6400, entries, kind=Race.MASS_START)


def outcome(snap):
    return (
        [(s["rank"], s["bib"], s["status"], s["points"], s["time_ms"]) for s in snap["standings"]],
        snap["sprints"],
        [(s["bib"], s["laps_done"], [c["time_ms"] for c in s["crossings"]]) for s in snap["skaters"]],
    )


def test_a_mass_start_fed_over_lynx_ends_as_the_same_race_entered_through_the_api(lynx, callers, snap):  # noqa: F811
    script = mass_start_script(20)
    # Through the JSON API, as a transponder system with a token would send it.
    api_race = field("Men's mass start (API)")
    device = callers["device"]
    assert device.post(f"/api/races/{api_race.id}/pairs/1/start").status_code == 200
    for ms, bib in script:
        response = device.post(f"/api/races/{api_race.id}/crossings", {"bib": bib, "time_ms": ms})
        assert response.status_code == 201, response.content

    # Over a real socket, cut into odd reads: Z, then one S per crossing with the bib as identifier,
    # plus the noise a wire brings (an unknown bib, a double read, a 17th lap) that must change nothing.
    fed_race = field("Men's mass start (Lynx)")
    listener, port = lynx(fed_race.id, device="lynx-transponders")
    stream = packet("Z", ZERO) + b"".join(packet("S", ZERO + ms, bib) for ms, bib in script)
    winner_finish = max(ms for ms, bib in script if bib == 1)
    stream += packet("S", ZERO + 10_000, 99) + packet("S", ZERO + winner_finish + 100, 1)
    send(port, stream, chunk_sizes=(1, 13, 200, 7, 4096))
    wait_until_handled(listener, stream)

    fed, entered = outcome(snap(fed_race.id)), outcome(snap(api_race.id))
    assert fed == entered
    standings, sprints, skaters = fed
    assert len(script) == 16 * 19 + 9 and Crossing.objects.filter(start__pair__race=fed_race).count() == len(script)
    assert [s["lap"] for s in sprints] == [4, 8, 12, 16]
    assert sum(points for *_, points, _ in standings) == 3 * (3 + 2 + 1) + 60 + 40 + 20 + 10 + 6 + 3
    assert [rank for rank, *_ in standings[:19]] == list(range(1, 20))
    assert standings[19][:2] == (None, 20)  # the invented DNF: no 16th lap, still racing until marked
    assert Change.objects.filter(race=fed_race, device="lynx-transponders").count() == 1 + len(script)
