"""The admin renders everything for a superuser, and the history in it cannot be written."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from timing import services
from timing.formats import crossings
from timing.models import Change, Competition, Crossing, Pair, Passing, PersonalBest, Race, Record, Skater
from timing.startlists import Entry, create_race

pytestmark = pytest.mark.django_db

REGISTERED = [Competition, Race, Pair, Skater, PersonalBest, Record, Passing, Crossing, Change]


@pytest.fixture
def race(db):
    """Two pairs with times, a correction and a void: every model holds at least one row."""
    race = create_race("Test Games", "Women's 1000 m", "Women", 1000, [
        Entry(1, "inner", "Vigl", "ITA"), Entry(1, "outer", "Suzanne Schulting", "NED", pb_ms=74200),
        Entry(2, "inner", "Femke Kok", "NED"), Entry(2, "outer", "Jutta Leerdam", "NED"),
    ], venue="Milano Speed Skating Stadium")
    Record.objects.create(kind="WR", category="Women", distance=1000, time_ms=71610, holder="Brittany Bowe")
    r = services.REPLAY
    for pair in (1, 2):
        services.start_pair(race.id, pair, r)
    services.record_passing(race.id, 1, "outer", 200, 17900, r)
    services.record_passing(race.id, 2, "outer", 200, 17680, r)
    wrong = services.record_passing(race.id, 2, "outer", 1000, 72400, r)
    services.correct_passing(wrong.id, 72310, "photo finish", r)
    stray = services.record_passing(race.id, 2, "inner", 600, 40000, r)
    services.void_passing(stray.id, "false transponder read", r)
    return race


@pytest.fixture
def mass(db):
    """A mass start with a crossing, so the Crossing pages have a row."""
    mass = create_race("Test Games", "Men's mass start", "Men", 6400, [
        Entry(1, "", "Skater 7", "NED", bib=7), Entry(1, "", "Skater 9", "NOR", bib=9)], kind=Race.MASS_START)
    services.start_pair(mass.id, 1, services.REPLAY)
    crossings.record_crossing(mass.id, 7, 30000, services.REPLAY)
    return mass


@pytest.fixture
def admin_client(client, race):
    user = User.objects.create_superuser("root", "root@example.invalid", "correct horse battery staple")
    client.force_login(user)
    return client


def url(model, view, *args):
    return reverse(f"admin:timing_{model._meta.model_name}_{view}", args=args)


def test_every_changelist_and_change_page_renders_for_a_superuser(admin_client, mass):
    for model in REGISTERED:
        response = admin_client.get(url(model, "changelist"))
        assert response.status_code == 200, model.__name__
        first = model.objects.order_by("pk").first()
        assert first is not None, model.__name__
        response = admin_client.get(url(model, "change", first.pk))
        assert response.status_code == 200, model.__name__


def test_the_pages_show_the_race_its_pairs_starts_and_history(admin_client, race):
    assert "Women&#x27;s 1000 m" in admin_client.get(url(Competition, "change", race.competition_id)).text
    race_page = admin_client.get(url(Race, "change", race.id)).text
    assert 'name="pairs-0-number"' in race_page and 'name="pairs-1-number"' in race_page
    page = admin_client.get(url(Pair, "change", Pair.objects.get(race=race, number=2).pk)).text
    assert "Jutta Leerdam" in page and "Femke Kok" in page
    assert "74200" in admin_client.get(url(Skater, "change", Skater.objects.get(name="Suzanne Schulting").pk)).text
    passings = admin_client.get(url(Passing, "changelist") + "?q=Leerdam")
    assert passings.context["cl"].result_count == 3
    assert all(text in passings.text for text in ("1:12.31", "1:12.40", "corrected", "current", "17.68"))
    assert "voided: false transponder read" in admin_client.get(url(Passing, "changelist")).text
    changes = admin_client.get(url(Change, "changelist") + "?action__exact=start")
    assert changes.context["cl"].result_count == 2
    assert "photo finish" in admin_client.get(url(Change, "changelist") + "?action__exact=correction").text


def test_the_history_cannot_be_added_changed_or_deleted(admin_client):
    passing, change = Passing.objects.first(), Change.objects.first()
    for model, obj in ((Passing, passing), (Change, change)):
        assert admin_client.get(url(model, "add")).status_code == 403
        assert admin_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        page = admin_client.get(url(model, "change", obj.pk)).text
        assert 'name="_save"' not in page  # a view-only page
        assert admin_client.post(url(model, "change", obj.pk), {"time_ms": 1, "reason": "edited"}).status_code == 403
    assert Passing.objects.get(pk=passing.pk).time_ms == passing.time_ms
    assert Change.objects.get(pk=change.pk).reason == change.reason
    assert Passing.objects.count() == 5 and Change.objects.count() == Race.objects.get().version == 8


def test_timing_fields_are_read_only_in_the_admin(admin_client, race):
    page = admin_client.get(url(Race, "change", race.id)).text
    assert 'name="version"' not in page and 'name="state"' not in page and 'name="title"' in page
    pair = Pair.objects.get(race=race, number=1)
    page = admin_client.get(url(Pair, "change", pair.pk)).text
    assert 'name="starts-0-status"' not in page and 'name="starts-0-skater"' in page


def test_the_demo_race_renders_in_the_admin(admin_client, demo_race):
    page = admin_client.get(url(Race, "change", demo_race.id)).text
    assert 'name="pairs-14-number"' in page  # all 15 pairs inline
    assert admin_client.get(url(Passing, "changelist")).context["cl"].result_count == 90 + 5


def test_a_user_without_staff_rights_is_sent_to_the_login(client, official, race):
    client.force_login(official)
    response = client.get(url(Passing, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
