"""A team pursuit's audit rows say heat, team and straight, as its console does; individual races
and mass starts keep pair/lane and bib/lap. The stored fields stay pair and lane."""
import pytest

from tests.test_formats_services import TEAMS
from timing import services
from timing.models import Change, Race
from timing.startlists import Entry, create_race

pytestmark = pytest.mark.django_db

DEVICE = services.Actor.from_device("transponder-loop")


def audit_page(client, official, race):
    client.force_login(official)
    response = client.get(f"/officials/races/{race.id}/audit/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_team_pursuit_row_names_the_heat_the_team_and_the_straight(client, official):
    race = create_race("Test World Cup", "Women's team pursuit", "Women", 2400, TEAMS, kind=Race.TEAM_PURSUIT)
    services.record_passing(race.id, 1, "outer", 400, 28210, DEVICE)
    services.record_passing(race.id, 1, "inner", 400, 28000, DEVICE)
    html = audit_page(client, official, race)
    assert "heat 1 Canada (CAN) back straight 400 m" in html
    assert "heat 1 Netherlands (NED) home straight 400 m" in html
    assert "pair 1" not in html and "outer" not in html
    assert '<label for="pair-filter">Heat</label>' in html and "all heats" in html  # the filter too
    stored = Change.objects.filter(race=race, action="passing").order_by("version").first()
    assert (stored.pair, stored.lane) == (1, "outer")  # old rows and new read the same way


def test_an_individual_race_row_keeps_pair_and_lane(client, official):
    entries = [Entry(1, "inner", "Anna Test", "NED"), Entry(1, "outer", "Bea Test", "CAN")]
    race = create_race("Test World Cup", "500 m", "Women", 500, entries)
    services.record_passing(race.id, 1, "outer", 100, 10300, DEVICE)
    html = audit_page(client, official, race)
    assert "pair 1 outer 100 m" in html
    assert "heat" not in html and "straight" not in html
    assert '<label for="pair-filter">Pair</label>' in html and "all pairs" in html
