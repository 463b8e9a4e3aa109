"""Start-list edits as JSON: each endpoint with the five callers, an accepted edit answers the new
snapshot, a refused one the service's reason, 409 for a started pair, and changes nothing."""
import pytest

from tests.callers import REFUSED, caller, callers, fast_password_hashing  # noqa: F401
from tests.test_competition_day import everything
from tests.test_services import race  # noqa: F401 (a fixture: pairs 1 and 2 full, pair 3 inner only)
from timing import services
from timing.models import Change

pytestmark = pytest.mark.django_db

EDITS = [
    ("entries", {"pair": 3, "lane": "outer", "name": "Miho Takagi", "nation": "JPN", "pb": "1:13.19"}, 201,
     lambda pairs: pairs[2]["outer"]["name"] == "Miho Takagi"),
    ("withdraw", {"pair": 2, "lane": "outer", "reason": "ill"}, 200, lambda pairs: pairs[1]["outer"] is None),
    ("move", {"pair": 1, "lane": "inner", "to_pair": 3, "to_lane": "outer"}, 200,
     lambda pairs: pairs[2]["outer"]["name"] == "Vigl" and pairs[0]["inner"] is None),
    ("swap", {"pair": 2}, 200, lambda pairs: pairs[1]["inner"]["name"] == "Brittany Bowe"),
    ("renumber", {"order": [1, 3, 2]}, 200, lambda pairs: pairs[1]["inner"]["name"] == "Ellia Smeding"),
]


@pytest.mark.parametrize("path, body, status, check", EDITS, ids=[e[0] for e in EDITS])
def test_each_caller_gets_what_it_may(caller, race, path, body, status, check):
    before = everything()
    response = caller.post(f"/api/races/{race.id}/startlist/{path}", body)
    if REFUSED[caller.name]:
        assert response.status_code == REFUSED[caller.name] and everything() == before
        return
    assert response.status_code == status, response.content
    assert check(response.json()["pairs"])
    assert Change.objects.filter(race=race).latest("version").version == response.json()["version"]


@pytest.mark.parametrize("path, body", [
    ("entries", {"pair": 1, "lane": "outer", "name": "X", "nation": "JPN"}),
    ("withdraw", {"pair": 1, "lane": "inner"}),
    ("move", {"pair": 1, "lane": "inner", "to_pair": 3, "to_lane": "outer"}),
    ("swap", {"pair": 1}),
    ("renumber", {"order": [2, 1, 3]}),
])
def test_a_started_pair_is_locked(callers, race, path, body):
    services.start_pair(race.id, 1, services.REPLAY)
    before = everything()
    response = callers["official"].post(f"/api/races/{race.id}/startlist/{path}", body)
    assert response.status_code == 409 and response.json() == {
        "error": "Pair 1 has started; its skaters can no longer change.", "field": "pair",
    }
    assert everything() == before


@pytest.mark.parametrize("path, body, status, field", [
    ("entries", {"pair": 3, "lane": "outer", "name": "X" * 101, "nation": "JPN"}, 400, "name"),
    ("entries", {"pair": "3", "lane": "outer", "name": "X", "nation": "JPN"}, 400, "pair"),
    ("move", {"pair": 1, "lane": "inner", "to_pair": 2, "to_lane": "inner"}, 409, "to_lane"),
    ("renumber", {"order": "1 3 2"}, 400, "order"),
    ("swap", {"pair": 9}, 404, "pair"),
])
def test_bad_input_is_refused_with_the_field(callers, race, path, body, status, field):
    before = everything()
    response = callers["device"].post(f"/api/races/{race.id}/startlist/{path}", body)
    assert response.status_code == status and response.json()["field"] == field, response.content
    assert everything() == before
