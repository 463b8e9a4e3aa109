"""The venue's pages: the venue board, named screens, the broadcast overlay, the lap counter and
the announcer's view. Each renders a shell; its module (static/oval/) draws it from the live feed.

Bad addresses get a page that says what is wrong (400 for a name no screen can have, 404 for
what does not exist), never a server error: a volunteer typing an address on a stadium display
must be able to tell a typo from a broken system.
"""
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import screens
from .models import Competition, Race
from .rules.points import LAP_COUNTER_FROM



def _problem(request, status, title, message):
    return render(request, "timing/screen_problem.html", {"title": title, "message": message}, status=status)


def _competition(request, competition_id):
    comp = Competition.objects.filter(pk=competition_id).first()
    if comp is None:
        return None, _problem(request, 404, _("No such competition"),
                              _("There is no competition %(id)s. Check the number in the address.") % {"id": competition_id})
    return comp, None


def _race(request, race_id):
    race = Race.objects.select_related("competition").filter(pk=race_id).first()
    if race is None:
        return None, _problem(request, 404, _("No such race"),
                              _("There is no race %(id)s. Check the number in the address.") % {"id": race_id})
    return race, None


def venue_board(request, competition_id):
    comp, problem = _competition(request, competition_id)
    return problem or render(request, "timing/screen.html", {"competition": comp, "screen": None})


def named_screen(request, name):
    """/screens/<name>/: the display's name, typed once. Its competition is ?competition=<id>
    when given, else the current one (timing.screens.current_competition)."""
    problem = screens.name_problem(name)
    if problem:
        return _problem(request, 400, _("Not a screen name"), f"{problem} " + _("You typed “%(name)s”.") % {"name": name[:80]})
    wanted = request.GET.get("competition")
    if wanted is not None:
        if not wanted.isdigit():
            return _problem(request, 400, _("Not a competition"), _("?competition= takes a competition's number, such as 3."))
        comp, problem = _competition(request, int(wanted))
        if problem:
            return problem
    else:
        comp = screens.current_competition()
        if comp is None:
            return _problem(request, 404, _("No competition yet"),
                            _("There is no competition to show. Once the officials set one up, reload this page."))
    try:
        screen = screens.register(comp, name)
    except screens.TooMany as e:
        return _problem(request, 409, _("Too many screens"), str(e))
    return render(request, "timing/screen.html", {
        "competition": comp, "screen": screen,
        "beacon_seconds": screens.BEACON_SECONDS,
    })


def race_overlay(request, race_id):
    race, problem = _race(request, race_id)
    return problem or render(request, "timing/overlay.html", {"race": race, "competition": race.competition})


def competition_overlay(request, competition_id):
    comp, problem = _competition(request, competition_id)
    return problem or render(request, "timing/overlay.html", {"race": None, "competition": comp})


def laps(request, race_id):
    """Lap counters make sense from the 3000 m up (DOMAIN.md); a shorter individual race has no
    lap to count. A team pursuit (6 or 8 laps) and a mass start (16) are counted at any distance."""
    race, problem = _race(request, race_id)
    if problem:
        return problem
    if race.kind == Race.INDIVIDUAL and race.distance < LAP_COUNTER_FROM:
        return _problem(request, 404, _("No lap counter for this race"),
                        _("%(title)s is %(distance)s m: lap counters are for %(from)s m and longer.") % {
                            "title": race.title, "distance": race.distance, "from": LAP_COUNTER_FROM})
    return render(request, "timing/laps.html", {"race": race})


def race_announcer(request, race_id):
    race, problem = _race(request, race_id)
    return problem or render(request, "timing/announcer.html", {"race": race, "competition": race.competition})


def competition_announcer(request, competition_id):
    comp, problem = _competition(request, competition_id)
    return problem or render(request, "timing/announcer.html", {"race": None, "competition": comp})
