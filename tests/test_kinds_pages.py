"""The venue pages a team pursuit and a mass start open: the lap counter counts both kinds at any
distance, while a short individual distance still has none."""
import pytest

from timing.models import Race
from timing.startlists import Entry, create_race

pytestmark = pytest.mark.django_db


def test_a_team_pursuit_and_a_mass_start_have_a_lap_counter_a_1000_m_has_none(client):
    teams = [Entry(1, lane, name, nation, team_skaters=(f"{nation} 1", f"{nation} 2", f"{nation} 3"))
             for lane, name, nation in (("inner", "Netherlands", "NED"), ("outer", "Canada", "CAN"))]
    pursuit = create_race("Test Cup", "Women's team pursuit", "Women", 2400, teams, kind=Race.TEAM_PURSUIT)
    mass = create_race("Test Cup", "Men's mass start", "Men", 6400,
                       [Entry(1, "", f"Skater {b}", "NED", bib=b) for b in (1, 2)], kind=Race.MASS_START)
    sprint = create_race("Test Cup", "Women's 1000 m", "Women", 1000, [Entry(1, "inner", "A Skater", "NED")])
    for race in (pursuit, mass):
        response = client.get(f"/races/{race.id}/laps/")
        assert response.status_code == 200 and "oval/laps.js" in response.content.decode()
    refused = client.get(f"/races/{sprint.id}/laps/")
    assert refused.status_code == 404 and "lap counters are for 3000 m and longer" in refused.content.decode()
