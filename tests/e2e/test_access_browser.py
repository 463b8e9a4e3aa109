"""A competition's owner assigns an official by keyboard and sees which device tokens can write to
it; an official of another competition meets a page that says whom to ask. Pages saved under
tests/artifacts/ for a person to look at."""
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import make_official
from timing.devices import tokens
from timing.models import Change
from timing.startlists import Entry, create_race

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests/conftest.py's make_official
VIEW = {"width": 1280, "height": 900}
FIELD = [Entry(1, "inner", "Jutta Leerdam", "NED"), Entry(1, "outer", "Miho Takagi", "JPN")]


def log_in(screen, username, next_path):
    page = screen.page
    page.goto(f"{screen.base}/login/?next={next_path}")
    page.focus("#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    return page


def test_the_owner_assigns_an_official_and_an_outsider_is_told_whom_to_ask(open_screen):
    ARTIFACTS.mkdir(exist_ok=True)
    race = create_race("Dutch Championships", "Women's 500 m", "Women", 500, FIELD, venue="Thialf")
    comp = race.competition
    other = create_race("World Cup Calgary", "Men's 500 m", "Men", 500, FIELD).competition
    owner = make_official("anna", comp)
    comp.owner = owner
    comp.save(update_fields=["owner"])
    make_official("bram", other)
    tokens.issue("lynx-finish", comp)
    tokens.issue("venue-timer")
    tokens.issue("calgary-timer", other)

    screen = open_screen(VIEW)
    page = log_in(screen, "anna", f"/officials/competitions/{comp.id}/")
    page.wait_for_url(re.compile(rf"/officials/competitions/{comp.id}/$"))
    expect(page.locator("#tokens-list")).to_contain_text("lynx-finish — this competition only")
    expect(page.locator("#tokens-list .unscoped")).to_have_text("unscoped: can write to every competition")
    expect(page.locator("#tokens-list")).not_to_contain_text("calgary-timer")

    # A user who is no official yet: refused with the reason next to the field, 4xx.
    page.focus("#official-username")
    page.keyboard.type("nobody")
    page.keyboard.press("Enter")
    expect(page.locator("#access-error")).to_have_text(
        "There is no user 'nobody': an administrator creates the account first.")
    assert screen.problems == [
        "error: Failed to load resource: the server responded with a status of 404 (Not Found)"], screen.problems
    screen.problems.clear()
    page.screenshot(path=ARTIFACTS / "setup-officials-error.png", full_page=True)

    page.fill("#official-username", "")
    page.focus("#official-username")
    page.keyboard.type("bram")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("bram is now an official of Dutch Championships")
    expect(page.locator("#officials-list")).to_contain_text("anna (owner)")
    expect(page.locator("#officials-list")).to_contain_text("bram")
    assert Change.objects.filter(competition=comp, action="official added", new_value="bram").exists()
    page.locator("#access-h").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "setup-officials.png", full_page=True)

    # Remove her again by keyboard: the button is named for whom it removes.
    page.get_by_role("button", name="Remove bram").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("bram is no longer an official of Dutch Championships")

    outsider = open_screen(VIEW)
    page = log_in(outsider, "bram", f"/officials/races/{race.id}/")
    page.wait_for_url(re.compile(rf"/officials/races/{race.id}/$"))
    expect(page.locator("#forbidden-reason")).to_have_text(
        "You are not an official of Dutch Championships; ask its owner (anna) to add you.")
    assert outsider.problems == [
        "error: Failed to load resource: the server responded with a status of 403 (Forbidden)"], outsider.problems
    outsider.problems.clear()
    page.screenshot(path=ARTIFACTS / "officials-forbidden.png", full_page=True)
    page.goto(f"{outsider.base}/officials/competitions/")
    expect(page.locator("main")).to_contain_text("World Cup Calgary")
    expect(page.locator("main")).not_to_contain_text("Dutch Championships")
