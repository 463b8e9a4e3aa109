"""Dutch beside English: the language follows Accept-Language and the site bar's switch, and
whatever a script or a machine reads from a page (data attributes, times, numbers) is the same in
both languages. The committed catalogues must be compiled from the committed .po files."""
import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from timing import services
from timing.classifications import create_classification

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
DOMAINS = ("django", "djangojs")
ATTRIBUTE = re.compile(r'\s(data-[\w-]+|datetime|value|href|action|id|class)="([^"]*)"')
# A number as a reader sees it: "1:12.31", "0.17", "111.020", "500 m". A decimal comma would show here.
NUMBER = re.compile(r"\d+(?:[.,:]\d+)+")


def get(client, path, language):
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language)


def machine_parts(html):
    """What a script or a machine reads: attributes, numbers and times, in page order."""
    return ATTRIBUTE.findall(html), NUMBER.findall(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def pages(demo_race):
    """Every kind of page a spectator or a screen opens, for the fully skated reference race."""
    c = create_classification(demo_race.competition_id, "Custom", "custom", [demo_race.id], services.REPLAY)
    race, comp = demo_race.id, demo_race.competition_id
    return [
        reverse("home"), reverse("competition", args=[comp]), reverse("spectator", args=[race]),
        reverse("board", args=[race]), reverse("results", args=[race]), reverse("embed", args=[race]),
        reverse("classification", args=[c.id]), reverse("venue-board", args=[comp]),
        reverse("announcer", args=[race]), reverse("overlay", args=[race]), reverse("login"),
    ]


def test_accept_language_nl_gives_the_page_in_dutch_and_en_in_english(client, demo_race):
    path = reverse("spectator", args=[demo_race.id])
    dutch, english = get(client, path, "nl").content.decode(), get(client, path, "en").content.decode()
    assert '<html lang="nl">' in dutch and '<html lang="en">' in english
    for nl, en in [("Nog te rijden", "Still to skate"), ("Achterstand op de leider", "Gap to the leader"),
                   ("verbinden…", "connecting…"), ("<h2>Stand</h2>", "<h2>Standings</h2>"),
                   (">Jury</a>", ">Officials</a>")]:
        assert nl in dutch and nl not in english, nl
        assert en in english and en not in dutch, en


def test_without_accept_language_the_page_is_english(client, demo_race):
    html = client.get(reverse("board", args=[demo_race.id])).content.decode()
    assert '<html lang="en">' in html and "Standings" in html


def test_every_page_renders_in_both_languages_with_the_same_attributes_times_and_numbers(client, pages):
    for path in pages:
        nl, en = get(client, path, "nl"), get(client, path, "en")
        assert nl.status_code == en.status_code == 200, path
        dutch, english = nl.content.decode(), en.content.decode()
        assert '<html lang="nl">' in dutch, path
        assert dutch != english, f"{path} is not translated"
        # The CSRF token in the language switch differs per response; everything else is byte-identical.
        strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)  # noqa: E731
        assert machine_parts(strip(dutch)) == machine_parts(strip(english)), path


def test_the_result_list_keeps_the_sports_times_and_points_in_dutch(client, demo_race):
    dutch = get(client, reverse("results", args=[demo_race.id]), "nl").content.decode()
    assert "Officiële uitslag" in dutch and "Achterstand" in dutch
    times = re.findall(r'<td class="time">(\d+:\d\d[.,]\d\d)', dutch)
    assert times and all("." in t and "," not in t for t in times), times


def test_the_json_api_stays_english_whatever_the_language(client, demo_race):
    path = reverse("api-results", args=[demo_race.id])
    assert get(client, path, "nl").content == get(client, path, "en").content
    missing = client.get(reverse("api-race", args=[999999]), HTTP_ACCEPT_LANGUAGE="nl").json()
    assert "no race" in missing["error"].lower()


def test_the_switch_sets_the_language_and_comes_back_to_the_same_page(client, demo_race):
    page = reverse("spectator", args=[demo_race.id])
    english = client.get(page).content.decode()
    assert f'action="{reverse("set_language")}"' in english and f'name="next" value="{page}"' in english
    response = client.post(reverse("set_language"), {"language": "nl", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert '<html lang="nl">' in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()  # the choice wins
    client.post(reverse("set_language"), {"language": "en", "next": page})
    assert '<html lang="en">' in client.get(page).content.decode()


def test_the_officials_pages_follow_the_language_too(client, official, demo_race):
    client.force_login(official)
    for path in (reverse("officials"), reverse("console", args=[demo_race.id]), reverse("audit", args=[demo_race.id]),
                 reverse("setup-competition", args=[demo_race.competition_id]),
                 reverse("setup-startlist", args=[demo_race.id]), reverse("setup-competition-new")):
        nl, en = get(client, path, "nl"), get(client, path, "en")
        assert nl.status_code == en.status_code == 200, path
        dutch = nl.content.decode()
        assert '<html lang="nl">' in dutch and "Uitloggen" in dutch, path
        strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)  # noqa: E731
        assert machine_parts(strip(dutch))[0] == machine_parts(strip(en.content.decode()))[0], path


def test_a_form_refusal_reads_in_dutch(client, official):
    client.force_login(official)
    response = client.post(reverse("setup-competition-new"), {"name": ""}, HTTP_ACCEPT_LANGUAGE="nl")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Er is niets opgeslagen" in html and "Dit veld is verplicht." in html  # ours, and Django's own


def test_the_scripts_catalogue_is_dutch_for_dutch_readers_and_cached(client):
    nl = get(client, reverse("javascript-catalog") + "?l=nl", "nl")
    en = get(client, reverse("javascript-catalog") + "?l=en", "en")
    assert nl.status_code == en.status_code == 200
    assert "opnieuw verbinden" in nl.content.decode() and "opnieuw verbinden" not in en.content.decode()
    assert "max-age=86400" in nl["Cache-Control"]
    assert "Accept-Language" in nl["Vary"]


# --- the committed catalogues -------------------------------------------------------------------


def read_po(path):
    """{msgid or (msgid, plural): msgstr or [msgstr[0], msgstr[1]]} of a .po file, without gettext tools."""
    entries, current, field = {}, {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in current and current["msgid"]:
                key = (current["msgid"], current["msgid_plural"]) if "msgid_plural" in current else current["msgid"]
                entries[key] = [current["msgstr[0]"], current["msgstr[1]"]] if "msgid_plural" in current else current["msgstr"]
            current, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            field, value = line.split(" ", 1)
            current[field] = ast.literal_eval(value)
    return entries


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_mo_files_are_compiled_from_the_po_files(domain):
    po = read_po(LOCALE / "nl" / "LC_MESSAGES" / f"{domain}.po")
    with open(LOCALE / "nl" / "LC_MESSAGES" / f"{domain}.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    compiled = {k for k in mo._catalog if k != ""}
    expected = {k for k in po} | {(k[0], i) for k in po if isinstance(k, tuple) for i in (0, 1)}
    expected = {k for k in expected if not isinstance(k, tuple) or isinstance(k[1], int)}
    assert compiled == expected, "run `manage.py compilemessages` and commit the .mo files"
    for key, text in po.items():
        if isinstance(key, tuple):
            assert [mo.ngettext(*key, 1), mo.ngettext(*key, 2)] == text, key
        else:
            assert mo.gettext(key) == text, key


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_is_translated_and_keeps_its_placeholders(domain):
    po = (LOCALE / "nl" / "LC_MESSAGES" / f"{domain}.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po.split("\n\n", 1)[1], "a fuzzy entry is left out of the .mo: check it, drop the flag"
    placeholders = re.compile(r"%\(\w+\)s|%s|<[^>]+>")
    for key, text in read_po(LOCALE / "nl" / "LC_MESSAGES" / f"{domain}.po").items():
        sources, targets = (key, text) if isinstance(key, tuple) else ((key,), [text])
        assert all(targets), f"untranslated: {key!r}"
        for source, target in zip(sources, targets):
            assert sorted(placeholders.findall(source)) == sorted(placeholders.findall(target)), (source, target)


def test_the_setup_pages_who_may_write_section_in_dutch(client, official, demo_race):
    client.force_login(official)
    path = reverse("setup-competition", args=[demo_race.competition_id])
    dutch, english = get(client, path, "nl").content.decode(), get(client, path, "en").content.decode()
    assert "Wie mag invoeren" in dutch and "Apparaatsleutels" in dutch and "Who may write" not in dutch
    assert "Who may write" in english and "Device tokens" in english
