"""Per-competition access beyond the matrix (tests/test_authorization_matrix.py): whose lists show
what, how an owner assigns officials, what creating a competition grants, the tokens a setup page
names, `devicetoken --competition`, and the migration that keeps upgraded deployments working."""
import html
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command
from django.test import Client

from tests.callers import fast_password_hashing, session_caller  # noqa: F401
from tests.conftest import make_official
from timing.devices import tokens
from timing.models import Change, Competition, DeviceToken
from timing.startlists import Entry, create_race

pytestmark = pytest.mark.django_db

FIELD = [Entry(1, "inner", "Anna Test", "NED"), Entry(1, "outer", "Bea Test", "CAN")]


@pytest.fixture
def two():
    a = create_race("Meet A", "Women's 500 m", "Women", 500, FIELD).competition
    b = create_race("Meet B", "Men's 500 m", "Men", 500, FIELD).competition
    return a, b


def test_an_official_lists_only_her_competitions_and_a_superuser_all(two):
    a, b = two
    mine = session_caller("ofa", make_official("ofa", a))
    for url in ("/officials/", "/officials/competitions/"):
        page = mine.get(url).content.decode()
        assert "Meet A" in page and "Meet B" not in page, url
    chief = session_caller("chief", User.objects.create_superuser("chief", password="x"))
    page = chief.get("/officials/competitions/").content.decode()
    assert "Meet A" in page and "Meet B" in page


def test_the_owner_assigns_an_official_who_may_then_write_and_it_is_audited(two):
    a, _ = two
    owner = make_official("owner", a)
    a.owner = owner
    a.save(update_fields=["owner"])
    newcomer = make_official("newcomer")
    theirs = session_caller("newcomer", newcomer)
    race = a.races.get()
    refused = theirs.post(f"/api/races/{race.id}/state", {"state": "live"})
    assert refused.status_code == 403 and "ask its owner (owner) to add you" in refused.json()["error"]

    boss = session_caller("owner", owner)
    page = boss.get(f"/officials/competitions/{a.id}/")
    assert b'id="add-official"' in page.content and b"csrfmiddlewaretoken" in page.content
    added = boss.client.post(f"/officials/competitions/{a.id}/officials/add", {"username": "newcomer"},
                             headers=boss.headers, follow=True)
    assert "newcomer is now an official of Meet A" in added.content.decode()
    change = Change.objects.filter(competition=a).order_by("-version").first()
    assert (change.action, change.new_value, change.actor) == ("official added", "newcomer", owner)
    assert theirs.post(f"/api/races/{race.id}/state", {"state": "live"}).status_code == 200

    boss.client.post(f"/officials/competitions/{a.id}/officials/{newcomer.id}/remove", headers=boss.headers)
    assert Change.objects.filter(competition=a, action="official removed", old_value="newcomer").exists()
    assert theirs.post(f"/api/races/{race.id}/state", {"state": "final"}).status_code == 403


@pytest.mark.parametrize("username, status, says", [
    ("nobody", 404, "There is no user 'nobody'"),
    ("fan", 400, "fan is not an official"),
    ("owner", 400, "owner is already an official of Meet A"),
])
def test_assigning_someone_who_cannot_be_assigned_says_why_and_changes_nothing(two, username, status, says):
    a, _ = two
    owner = make_official("owner", a)
    a.owner = owner
    a.save(update_fields=["owner"])
    User.objects.create_user("fan", password="x")
    boss = session_caller("owner", owner)
    before = (Change.objects.count(), sorted(a.officials.values_list("id", flat=True)))
    page = boss.client.post(f"/officials/competitions/{a.id}/officials/add", {"username": username},
                            headers=boss.headers)
    assert page.status_code == status and says in html.unescape(page.content.decode())
    assert (Change.objects.count(), sorted(a.officials.values_list("id", flat=True))) == before


def test_the_owner_cannot_remove_herself(two):
    a, _ = two
    owner = make_official("owner", a)
    a.owner = owner
    a.save(update_fields=["owner"])
    boss = session_caller("owner", owner)
    page = boss.client.post(f"/officials/competitions/{a.id}/officials/{owner.id}/remove", headers=boss.headers)
    assert page.status_code == 400 and "owner owns Meet A and stays its official" in page.content.decode()
    assert a.officials.filter(pk=owner.pk).exists()


def test_creating_a_competition_makes_its_creator_the_owner_and_an_official():
    creator = session_caller("maker", make_official("maker"))
    response = creator.post("/api/competitions/", {"name": "Fresh Meet"})
    assert response.status_code == 201
    comp = Competition.objects.get(pk=response.json()["id"])
    assert comp.owner.username == "maker" and list(comp.officials.values_list("username", flat=True)) == ["maker"]
    creator.client.post("/officials/competitions/new/", {"name": "Form Meet", "time_zone": "UTC"}, headers=creator.headers)
    assert Competition.objects.get(name="Form Meet").owner.username == "maker"


def test_a_device_creating_a_competition_leaves_it_without_owner_or_officials():
    _, raw = tokens.issue("venue-timer")
    response = Client().post("/api/competitions/", json.dumps({"name": "Device Meet"}), content_type="application/json",
                             headers={"Authorization": f"Bearer {raw}"})
    comp = Competition.objects.get(pk=response.json()["id"])
    assert comp.owner is None and not comp.officials.exists()


def test_the_setup_page_names_the_tokens_that_reach_it_and_marks_the_unscoped_ones(two):
    a, b = two
    tokens.issue("timer-a", a)
    tokens.issue("timer-b", b)
    tokens.issue("venue-timer")
    revoked, _ = tokens.issue("old-timer")
    tokens.revoke(revoked)
    page = session_caller("ofa", make_official("ofa", a)).get(f"/officials/competitions/{a.id}/").content.decode()
    section = page[page.index('id="tokens-list"'):]
    assert "timer-a — this competition only" in section
    assert "venue-timer — <strong class=\"unscoped\">unscoped: can write to every competition</strong>" in section
    assert "timer-b" not in section and "old-timer" not in section
    assert 'id="add-official"' not in page  # not the owner: she sees who assigns instead


def test_devicetoken_competition_scopes_the_token(two):
    a, b = two
    out, err = io.StringIO(), io.StringIO()
    call_command("devicetoken", "finish-a", "--competition", str(a.id), stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert DeviceToken.objects.get(name="finish-a").competition == a
    assert f"competition {a.id} (Meet A) only" in err.getvalue()
    bearer = {"Authorization": f"Bearer {raw}"}
    ok = Client().post(f"/api/races/{a.races.get().id}/state", '{"state": "live"}', content_type="application/json",
                       headers=bearer)
    assert ok.status_code == 200
    other = Client().post(f"/api/races/{b.races.get().id}/state", '{"state": "live"}', content_type="application/json",
                          headers=bearer)
    assert other.status_code == 403
    assert other.json() == {"error": f"This device token is for competition {a.id} (Meet A), not competition {b.id} "
                                     "(Meet B).", "field": "competition"}


def test_devicetoken_refuses_an_unknown_competition_and_lists_the_scopes(two):
    a, _ = two
    with pytest.raises(CommandError, match=rf"There is no competition 999\. Competitions: {a.id} \(Meet A\)"):
        call_command("devicetoken", "finish-x", "--competition", "999", stdout=io.StringIO(), stderr=io.StringIO())
    assert not DeviceToken.objects.filter(name="finish-x").exists()
    call_command("devicetoken", "finish-a", "--competition", str(a.id), stdout=io.StringIO(), stderr=io.StringIO())
    call_command("devicetoken", "venue", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("devicetoken", "--list", stdout=out)
    assert out.getvalue().splitlines() == [
        f"finish-a\tcompetition {a.id} (Meet A)\tactive", "venue\tunscoped: every competition\tactive",
    ]


def test_the_migration_assigns_todays_officials_to_todays_competitions(two):
    """Officials by permission or by group become officials of every existing competition; other
    users do not."""
    import importlib

    a, b = two
    direct = make_official("direct")
    grouped = User.objects.create_user("grouped", password="x")
    group = Group.objects.create(name="Officials")
    group.permissions.add(Permission.objects.get(codename="enter_times"))
    grouped.groups.add(group)
    User.objects.create_user("fan", password="x")
    migration = importlib.import_module("timing.migrations.0010_access")
    migration.assign_current_officials(apps, None)
    for comp in (a, b):
        assert sorted(comp.officials.values_list("username", flat=True)) == ["direct", "grouped"]
    assert direct.officiated.count() == 2


def test_the_demo_official_officiates_every_competition_of_the_local_demo(two, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demoofficial", stdout=out)
    assert "official of all 2 competitions" in out.getvalue()
    assert all(comp.officials.filter(username="official").exists() for comp in two)
