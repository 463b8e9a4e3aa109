"""The officials' setup pages over HTTP: only officials reach them, CSRF is enforced, a good form
writes through the service layer and redirects, a bad one answers 4xx with the reason next to the
field and stores nothing."""
import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.test_pages import assert_csp_clean
from timing import services
from timing.models import Change, Competition, Pair, Race, Skater, Start
from timing.services import Actor

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "pair,lane,name,nation,pb\n"
    "1,inner,Vigl,ITA,\n"
    "1,outer,Suzanne Schulting,NED,1:14.20\n"
    "2,inner,Femke Kok,NED,1:12.59\n"
    "2,outer,Brittany Bowe,USA,\n"
)


@pytest.fixture
def desk(client, official):
    client.force_login(official)
    return client


@pytest.fixture
def comp(official):
    return services.create_competition(
        {"name": "Dutch Championships", "venue": "Thialf, Heerenveen", "starts_on": "2026-12-27",
         "ends_on": "2026-12-28", "time_zone": "Europe/Amsterdam"}, Actor.official(official))


@pytest.fixture
def race(comp, official):
    return services.create_race(comp.id, {"title": "Women's 1000 m", "category": "Women", "distance": 1000,
                                          "scheduled_at": "2026-12-27T14:30"}, Actor.official(official))


def upload(client, race, text, name="startlist.csv", **extra):
    data = text if isinstance(text, bytes) else text.encode()
    return client.post(reverse("setup-startlist-upload", args=[race.id]),
                       {"upload-file": SimpleUploadedFile(name, data, content_type="text/csv")}, **extra)


def html(response):
    return response.content.decode()


def lineup(race):
    return {(s.pair.number, s.lane): s.skater.name for s in Start.objects.filter(pair__race=race).select_related("pair", "skater")}


def stored():
    return [list(m.objects.values()) for m in (Competition, Race, Pair, Start, Skater, Change)]


# --- who may ---------------------------------------------------------------------------------


def setup_urls(comp, race):
    return [
        ("get", reverse("setup-competitions")), ("get", reverse("setup-competition-new")),
        ("get", reverse("setup-competition", args=[comp.id])), ("get", reverse("setup-competition-edit", args=[comp.id])),
        ("post", reverse("setup-on-ice", args=[comp.id])), ("get", reverse("setup-race-new", args=[comp.id])),
        ("get", reverse("setup-race-edit", args=[race.id])), ("get", reverse("setup-startlist", args=[race.id])),
        ("post", reverse("setup-startlist-upload", args=[race.id])), ("post", reverse("setup-entry-add", args=[race.id])),
        ("post", reverse("setup-entry-move", args=[race.id])), ("post", reverse("setup-entry-withdraw", args=[race.id])),
        ("post", reverse("setup-pair-swap", args=[race.id])), ("post", reverse("setup-pair-up", args=[race.id])),
        ("post", reverse("setup-pairs-close-gaps", args=[race.id])),
    ]


def test_anonymous_visitors_go_to_the_login_page(client, comp, race):
    for method, url in setup_urls(comp, race):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url


def test_a_logged_in_non_official_gets_403_and_changes_nothing(client, spectator_user, comp, race):
    client.force_login(spectator_user)
    before = stored()
    for method, url in setup_urls(comp, race):
        assert getattr(client, method)(url).status_code == 403, url
    assert stored() == before


def test_csrf_is_enforced_on_the_forms(official, comp, race):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(official)
    before = stored()
    response = strict.post(reverse("setup-competition-new"), {"name": "X", "time_zone": "UTC"})
    assert response.status_code == 403
    assert upload(strict, race, GOOD_CSV).status_code == 403  # the upload checks it itself, after the size
    assert strict.post(reverse("setup-pair-swap", args=[race.id]), {"slot-pair": 1}).status_code == 403
    assert stored() == before
    # with the token from the page, the same form goes through
    page = strict.get(reverse("setup-competition-new"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(page))[1]
    response = strict.post(reverse("setup-competition-new"),
                           {"name": "Open", "time_zone": "UTC", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and Competition.objects.filter(name="Open").exists()


# --- competitions ------------------------------------------------------------------------------


def test_an_official_creates_a_competition_from_the_form(desk):
    response = desk.post(reverse("setup-competition-new"), {
        "name": "World Cup Tomaszów", "venue": "Arena Lodowa", "starts_on": "2027-01-22",
        "ends_on": "2027-01-24", "time_zone": "Europe/Warsaw",
    })
    comp = Competition.objects.get(name="World Cup Tomaszów")
    assert response.status_code == 302 and response["Location"] == reverse("setup-competition", args=[comp.id])
    assert (comp.venue, comp.starts_on, comp.ends_on, comp.time_zone, comp.olympic) == (
        "Arena Lodowa", dt.date(2027, 1, 22), dt.date(2027, 1, 24), "Europe/Warsaw", False,
    )
    assert Change.objects.get(competition=comp).action == "competition"
    page = desk.get(response["Location"])
    assert "World Cup Tomaszów created. Add its races next." in html(page)
    assert_csp_clean(html(page))


@pytest.mark.parametrize("data, field, words", [
    ({"name": "X", "time_zone": "Mars/Olympus"}, "time_zone", "is not a time zone"),
    ({"name": "", "time_zone": "UTC"}, "name", "This field is required."),
    ({"name": "X", "time_zone": "UTC", "starts_on": "27/12/2026"}, "starts_on", "Enter a valid date."),
    ({"name": "X", "time_zone": "UTC", "starts_on": "2026-12-28", "ends_on": "2026-12-27"}, "ends_on",
     "cannot end before it starts"),
])
def test_a_bad_competition_form_says_why_next_to_the_field_and_stores_nothing(desk, data, field, words):
    response = desk.post(reverse("setup-competition-new"), data)
    assert response.status_code == 400 and not Competition.objects.exists()
    errors = re.search(rf'<ul class="errorlist" id="id_{field}_error"><li>(.*?)</li>', html(response))
    assert errors and words in errors[1].replace("&#x27;", "'"), html(response)
    assert f'aria-describedby="id_{field}_error"' in html(response) or f'id_{field}_helptext id_{field}_error' in html(response)


def test_an_official_edits_a_competition(desk, comp):
    response = desk.post(reverse("setup-competition-edit", args=[comp.id]), {
        "name": "Dutch Championships", "venue": "Thialf", "starts_on": "2026-12-27", "time_zone": "Europe/Amsterdam",
    })
    assert response.status_code == 302
    comp.refresh_from_db()
    assert (comp.venue, comp.ends_on) == ("Thialf", None)


# --- races -------------------------------------------------------------------------------------


def test_an_official_adds_a_race_with_its_time_on_the_venues_clock(desk, comp):
    response = desk.post(reverse("setup-race-new", args=[comp.id]), {
        "title": "Men's 500 m", "category": "Men", "kind": "individual", "distance": "500",
        "scheduled_at": "2026-12-27T15:10",
    })
    race = Race.objects.get(title="Men's 500 m")
    assert response.status_code == 302 and response["Location"] == reverse("setup-startlist", args=[race.id])
    assert race.scheduled_at == dt.datetime(2026, 12, 27, 14, 10, tzinfo=dt.timezone.utc)  # 15:10 in Amsterdam
    assert race.order == 1


@pytest.mark.parametrize("data, field, status, words", [
    ({"scheduled_at": "27-12-2026 15:10"}, "scheduled_at", 400, "is not a date and time"),
    ({"distance": "800"}, "distance", 400, "is not skated over 800 m"),
    ({"distance": "fast"}, "distance", 400, "Enter a whole number."),
    ({"title": "Women's 1000 m"}, "title", 409, "already has a race"),
])
def test_a_bad_race_form_says_why_and_stores_nothing(desk, comp, race, data, field, status, words):
    before = stored()
    form = {"title": "Men's 500 m", "category": "Men", "kind": "individual", "distance": "500", **data}
    response = desk.post(reverse("setup-race-new", args=[comp.id]), form)
    assert response.status_code == status
    assert words in html(response).replace("&#x27;", "'")
    assert f'id="id_{field}_error"' in html(response)
    assert stored() == before


def test_a_race_on_an_unknown_competition_is_404(desk, comp):
    response = desk.post(reverse("setup-race-new", args=[comp.id + 99]), {"title": "X", "category": "Men",
                                                                        "kind": "individual", "distance": "500"})
    assert response.status_code == 404 and not Race.objects.exists()


def test_an_official_edits_a_race_and_it_keeps_its_place(desk, race):
    response = desk.post(reverse("setup-race-edit", args=[race.id]), {
        "title": "Women's 1000 m", "category": "Women", "kind": "individual", "distance": "1000",
        "scheduled_at": "2026-12-27T14:45",
    })
    assert response.status_code == 302
    race.refresh_from_db()
    assert race.scheduled_at == dt.datetime(2026, 12, 27, 13, 45, tzinfo=dt.timezone.utc) and race.order == 1
    form = desk.get(reverse("setup-race-edit", args=[race.id]))
    assert 'value="2026-12-27T14:45"' in html(form)  # shown on the venue's clock again


def test_the_competition_page_lists_the_schedule_and_sets_the_race_on_the_ice(desk, comp, race, official):
    services.create_race(comp.id, {"title": "Men's 500 m", "category": "Men", "distance": 500,
                                   "scheduled_at": "2026-12-27T13:00", "order": 0}, Actor.official(official))
    page = html(desk.get(reverse("setup-competition", args=[comp.id])))
    assert page.index("Men&#x27;s 500 m") < page.index("Women&#x27;s 1000 m")  # order in the day
    assert "Sun 27 Dec, 14:30" in page and "times in Europe/Amsterdam" in page
    assert_csp_clean(page)
    response = desk.post(reverse("setup-on-ice", args=[comp.id]), {"race": str(race.id)})
    assert response.status_code == 302
    comp.refresh_from_db()
    assert comp.on_ice_id == race.id
    page = html(desk.get(reverse("setup-competition", args=[comp.id])))
    assert "On the ice now: Women&#x27;s 1000 m." in page and "● On the ice" in page
    desk.post(reverse("setup-on-ice", args=[comp.id]), {"race": str(race.id)})
    assert "is already on the ice" in html(desk.get(reverse("setup-competition", args=[comp.id])))


def test_the_public_competition_page_shows_the_schedule_on_the_venues_clock(client, comp, race, official):
    services.set_on_ice(comp.id, race.id, Actor.official(official))
    page = html(client.get(reverse("competition", args=[comp.id])))
    assert '<time datetime="2026-12-27T14:30:00+01:00">14:30</time>' in page
    assert "local time, Europe/Amsterdam" in page and "on the ice" in page
    assert "Thialf, Heerenveen · 27 December 2026 – 28 December 2026" in page
    assert_csp_clean(page)


# --- the start list: upload ----------------------------------------------------------------------


def test_a_good_csv_becomes_the_start_list(desk, race):
    response = upload(desk, race, GOOD_CSV)
    assert response.status_code == 302
    assert lineup(race)[(2, "inner")] == "Femke Kok" and len(lineup(race)) == 4
    page = html(desk.get(reverse("setup-startlist", args=[race.id])))
    assert "startlist.csv: 4 skaters in 2 pairs stored." in page
    assert_csp_clean(page)


def test_a_csv_with_three_problems_lists_all_three_and_stores_nothing(desk, race):
    before = stored()
    bad = "pair,lane,name,nation\n1,inner,Vigl,ITA\n1,middle,Kok,NED\n1,inner,Bowe,USA\n3,inner,Jackson,USA\n"
    response = upload(desk, race, bad)
    assert response.status_code == 400 and stored() == before
    page = html(response).replace("&#x27;", "'")
    rows = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td><td>(.*?)</td></tr>", page)
    assert rows == [
        ("3", "lane", "'middle' is not a lane; write inner or outer."),
        ("4", "lane", "pair 1 inner is already taken by line 2; give one of them the other lane or another pair."),
        ("5", "pair", "pair 3 follows pair 1, so pair 2 is missing; number the pairs 1, 2, 3… without gaps."),
    ]
    assert "startlist.csv: 3 problems, nothing was stored" in page


@pytest.mark.parametrize("data, words", [
    ("pair,lane,nation\n1,inner,ITA\n".encode(), "the header has no column name"),
    (("pair,lane,name,nation\n1,inner," + "N" * 101 + ",ITA\n").encode(), "the name has 101 characters"),
    ("pair,lane,name,nation\n1,inner,Sjöblom,FIN\n".encode("latin-1"), "byte 0xF6 is not UTF-8 text"),
])
def test_a_bad_file_is_explained_and_nothing_is_stored(desk, race, data, words):
    before = stored()
    response = upload(desk, race, data)
    assert response.status_code == 400 and stored() == before
    assert words in html(response)


def test_a_10_mb_upload_is_refused_by_its_size(desk, race):
    before = stored()
    response = upload(desk, race, b"pair,lane,name,nation\n" + b"x" * (10 * 1024 * 1024))
    assert response.status_code == 413 and stored() == before
    assert "the file is 10.5 MB; a start list is a few kilobytes (at most 1 MB)." in html(response)


def test_a_file_just_under_the_cap_is_read(desk, race):
    padded = GOOD_CSV + "\n" * (990_000 - len(GOOD_CSV))  # blank lines are skipped
    assert upload(desk, race, padded).status_code == 302 and len(lineup(race)) == 4


def test_the_start_list_of_an_unknown_race_is_404(desk, race):
    assert desk.get(reverse("setup-startlist", args=[race.id + 99])).status_code == 404
    assert upload(desk, Race(id=race.id + 99), GOOD_CSV).status_code == 404


def test_an_upload_without_a_file_says_so(desk, race):
    response = desk.post(reverse("setup-startlist-upload", args=[race.id]), {})
    assert response.status_code == 400 and "This field is required." in html(response)


def test_an_upload_once_a_pair_has_started_is_409(desk, race, official):
    upload(desk, race, GOOD_CSV)
    services.start_pair(race.id, 1, Actor.official(official))
    before = stored()
    response = upload(desk, race, GOOD_CSV)
    assert response.status_code == 409 and stored() == before
    assert "edit its start list pair by pair" in html(response)


# --- the start list: edits -----------------------------------------------------------------------


def test_an_official_edits_the_start_list_pair_by_pair(desk, race):
    upload(desk, race, GOOD_CSV)
    url = lambda name: reverse(name, args=[race.id])  # noqa: E731
    assert desk.post(url("setup-entry-add"), {"entry-pair": "3", "entry-lane": "inner", "entry-name": "Miho Takagi",
                                              "entry-nation": "JPN", "entry-pb": "1:13.19"}).status_code == 302
    assert desk.post(url("setup-pair-swap"), {"slot-pair": "1"}).status_code == 302
    assert desk.post(url("setup-entry-move"), {"move-pair": "2", "move-lane": "outer", "move-to_pair": "3",
                                               "move-to_lane": "outer"}).status_code == 302
    assert desk.post(url("setup-pair-up"), {"slot-pair": "3"}).status_code == 302
    assert desk.post(url("setup-entry-withdraw"), {"slot-pair": "3", "slot-lane": "inner"}).status_code == 302
    assert lineup(race) == {
        (1, "inner"): "Suzanne Schulting", (1, "outer"): "Vigl",
        (2, "inner"): "Miho Takagi", (2, "outer"): "Brittany Bowe",
    }
    assert [c.action for c in Change.objects.filter(race=race).order_by("version")] == [
        "start list", "entry", "swap", "move", "renumber", "withdraw",
    ]
    assert desk.post(url("setup-pairs-close-gaps"), {}).status_code == 302
    assert list(race.pairs.values_list("number", flat=True)) == [1, 2]


def test_a_started_pair_is_locked_with_a_clear_message(desk, race, official):
    upload(desk, race, GOOD_CSV)
    services.start_pair(race.id, 1, Actor.official(official))
    before = stored()
    response = desk.post(reverse("setup-pair-swap", args=[race.id]), {"slot-pair": "1"})
    assert response.status_code == 409 and stored() == before
    assert "Pair 1 has started; its skaters can no longer change." in html(response)
    page = html(desk.get(reverse("setup-startlist", args=[race.id])))
    assert "Started: locked" in page and 'aria-label="Swap the lanes of pair 1"' not in page
    assert 'aria-label="Swap the lanes of pair 2"' in page


def test_a_bad_late_entry_is_explained_next_to_its_field(desk, race):
    upload(desk, race, GOOD_CSV)
    before = stored()
    response = desk.post(reverse("setup-entry-add", args=[race.id]), {
        "entry-pair": "2", "entry-lane": "inner", "entry-name": "Takagi", "entry-nation": "JPN"})
    assert response.status_code == 409 and stored() == before
    assert re.search(r'id="id_entry-lane_error"><li>Femke Kok \(NED\) already skates in pair 2 inner', html(response))
    response = desk.post(reverse("setup-entry-add", args=[race.id]), {
        "entry-pair": "3", "entry-lane": "inner", "entry-name": "Takagi", "entry-nation": "Japan"})
    assert response.status_code == 400 and stored() == before
    assert 'id="id_entry-nation_error"' in html(response)
