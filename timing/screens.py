"""What each screen of a venue shows, decided here and only here; pages render the answer.

A screen's *view* is computed from the day's schedule (the races in order, their states, the race
on the ice) and, for a named screen, the officials' command (mode, race, text). It travels in the
competition's schedule snapshot (timing/schedule.py), so the venue boards and every named screen
switch on the same versioned message, and a screen command is one audited competition change
(timing/services.py set_screen, through `_write_competition`). Heartbeats are not changes of the
show: they touch only `last_seen` and the clock offset, and move no version.

Decisions where nobody wrote the rules down (each has a test in tests/test_screens.py):

* The venue follows the race on the ice. While it is live the screen is its board (the board
  itself shows the next pair between pairs: its current pair has not started). While it is only
  scheduled (called to the ice, no pair started) or final, it is *between races*: the next race's
  start list and the last final race's results. The "next" race of a final race on the ice is the
  first race after it in schedule order that is not final; the "last" race of a scheduled one is
  the last final race before it.
* With nothing on the ice, between races too: the first race of the day that is not final, and
  the last final one. A day with neither shows the competition's name (*idle*): never blank.
* A named screen in classification mode shows its classification at any time (standings and the
  next distance's targets); without it (deleted) it follows the venue.
* A named screen in mode race, results or start list without its race (deleted, or of another
  competition) falls back to following the venue. Standings without a race are the standings of
  the race on the ice, or failing that of the last final race; with neither, it follows the venue.
* Between races after a race of a classification (allround, sprint), the venue shows that
  classification instead: its standings and what each skater needs on its next distance. Only
  when the race on the ice is final or nothing is on the ice: once the next race is called to the
  ice the venue shows its start list again, and its board when its first pair starts. The
  classification is the first (by id) that counts the race just skated, else the first that counts
  the next race; one with no race over yet has no standings worth a screen, so it is not shown.
* A screen in follow mode is not listed in the snapshot (it shows the venue), so a display opening
  its page for the first time changes no snapshot and moves no version.
* Result lists are the printed result list's (timing/results.py), official mark included: a
  screen shows the list the server made, never its own.
"""
import re

from django.db.models import Q
from django.utils import timezone

from .models import Competition, Race, Screen

NAME = re.compile(r"[a-z0-9-]{1,50}")
#: A screen counts as on line while its heartbeat is younger than this.
ONLINE_SECONDS = 60
#: The page reports itself this often; the beacon refuses a screen that reports faster than MIN.
BEACON_SECONDS = 15
BEACON_MIN_SECONDS = 5
#: Screens a competition may hold: opening /screens/<name>/ creates one, so strangers could try.
MAX_SCREENS = 200

RACE_MODES = {Screen.RACE, Screen.RESULTS, Screen.STARTLIST}


def valid_name(name):
    return isinstance(name, str) and NAME.fullmatch(name) is not None


def name_problem(name):
    """Why `name` cannot name a screen, for the person who typed it; None when it can."""
    if valid_name(name):
        return None
    if not isinstance(name, str) or not name:
        return "A screen needs a name, such as north-stand."
    if len(name) > 50:
        return f"A screen's name has at most 50 characters (this one has {len(name)})."
    return "A screen's name uses only lower-case letters, digits and dashes, such as north-stand."


# --- the views: pure functions of the schedule snapshot's data -----------------------------------


def _by_id(races):
    return {r["id"]: r for r in races}


def _between(races, next_race, last_race):
    if next_race is None and last_race is None:
        return {"show": "idle"}
    return {"show": "between", "next": next_race and next_race["id"], "last": last_race and last_race["id"]}


def _classification(view, races, classifications):
    """`view` (between races) as the classification of the race just skated or the next one."""
    if view["show"] != "between":
        return view
    final = {r["id"] for r in races if r["state"] == Race.FINAL}
    for race_id in (view["last"], view["next"]):
        for c in classifications:
            if race_id in c["races"] and final.intersection(c["races"]):
                return {**view, "show": "classification", "classification": c["id"], "name": c["name"]}
    return view


def venue_view(races, on_ice, classifications=()):
    """What the venue's screens show now, from the schedule's race rows (in schedule order) and
    the competition's classifications ({"id", "name", "races": [race ids]}, in id order)."""
    ordered = list(races)
    current = _by_id(ordered).get(on_ice)
    finals = [r for r in ordered if r["state"] == Race.FINAL]
    if current is None:
        upcoming = next((r for r in ordered if r["state"] != Race.FINAL), None)
        return _classification(_between(ordered, upcoming, finals[-1] if finals else None), ordered, classifications)
    if current["state"] == Race.LIVE:
        return {"show": "race", "race": current["id"]}
    at = ordered.index(current)
    if current["state"] == Race.FINAL:
        upcoming = next((r for r in ordered[at + 1:] if r["state"] != Race.FINAL), None)
        return _classification(_between(ordered, upcoming, current), ordered, classifications)
    before = [r for r in ordered[:at] if r["state"] == Race.FINAL]
    return _between(ordered, current, before[-1] if before else (finals[-1] if finals else None))


def screen_view(mode, race_id, text, races, on_ice, classifications=(), classification_id=None):
    """What a named screen shows: its command applied to the schedule, or the venue's view."""
    venue = venue_view(races, on_ice, classifications)
    known = _by_id(races)
    if mode == Screen.MESSAGE:
        return {"show": "message", "text": text}
    if mode == Screen.CLASSIFICATION:
        chosen = next((c for c in classifications if c["id"] == classification_id), None)
        if chosen is None:
            return venue
        return {"show": "classification", "classification": chosen["id"], "name": chosen["name"],
                "next": None, "last": None}
    if mode in RACE_MODES:
        if race_id not in known:
            return venue
        return {"show": mode, "race": race_id}
    if mode == Screen.STANDINGS:
        chosen = race_id if race_id in known else None
        if chosen is None and on_ice in known:
            chosen = on_ice
        if chosen is None:
            finals = [r["id"] for r in races if r["state"] == Race.FINAL]
            chosen = finals[-1] if finals else None
        return venue if chosen is None else {"show": "standings", "race": chosen}
    return venue


def describe(view, races):
    """The view in words, for the officials' Screens page."""
    titles = {r["id"]: r["title"] for r in races}

    def title(race_id):
        return titles.get(race_id, "—")

    show = view["show"]
    if show == "race":
        return f"Board: {title(view['race'])}"
    if show == "between":
        parts = []
        if view["next"]:
            parts.append(f"next: {title(view['next'])}")
        if view["last"]:
            parts.append(f"results: {title(view['last'])}")
        return "Between races (" + "; ".join(parts) + ")"
    if show == "classification" and not (view["next"] or view["last"]):
        return f"Classification: {view['name']}"
    if show == "classification":
        parts = [view["name"]]
        if view["next"]:
            parts.append(f"next: {title(view['next'])}")
        return "Between races: classification (" + "; ".join(parts) + ")"
    if show == "results":
        return f"Result list: {title(view['race'])}"
    if show == "standings":
        return f"Standings: {title(view['race'])}"
    if show == "startlist":
        return f"Start list: {title(view['race'])}"
    if show == "message":
        return f"Message: {view['text']}"
    return "The competition's name (nothing scheduled)"


def commanded(comp, races, on_ice, classifications=()):
    """{name: command and view} of the screens that do not simply follow the venue."""
    return {
        s.name: {
            "mode": s.mode,
            "race": s.race_id,
            "text": s.text,
            "classification": s.classification_id,
            "view": screen_view(s.mode, s.race_id, s.text, races, on_ice, classifications, s.classification_id),
        }
        for s in comp.screens.exclude(mode=Screen.FOLLOW).order_by("name")
    }


# --- finding and registering screens -------------------------------------------------------------


def current_competition(today=None):
    """The competition a screen opened without ?competition= belongs to: one that has a race on
    the ice, else one whose dates include today, else the latest; ties go to the newest."""
    today = today or timezone.localdate()
    newest = Competition.objects.order_by("-starts_on", "-id")
    return (
        newest.filter(on_ice__isnull=False).first()
        or newest.filter(starts_on__lte=today).filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on=today)).first()
        or newest.first()
    )


class TooMany(Exception):
    pass


def register(comp, name):
    """The screen `name` of `comp`, created on its first opening (in follow mode)."""
    screen = comp.screens.filter(name=name).first()
    if screen is not None:
        return screen
    if comp.screens.count() >= MAX_SCREENS:
        raise TooMany(
            f"{comp.name} already has {MAX_SCREENS} screens: ask an official to reuse a name or remove unused ones."
        )
    screen, _ = Screen.objects.get_or_create(competition=comp, name=name)
    return screen


def heartbeat(comp_id, name, offset_ms, now=None):
    """Record that a screen is alive. Returns "ok", "unknown" or "too soon"; writes nothing else.

    At most one write per screen per BEACON_MIN_SECONDS, decided by the database in one
    conditional UPDATE, so a flood of beacons costs one indexed query each and changes nothing.
    """
    now = now or timezone.now()
    rows = Screen.objects.filter(competition_id=comp_id, name=name)
    recent = now - timezone.timedelta(seconds=BEACON_MIN_SECONDS)
    updated = rows.filter(Q(last_seen__isnull=True) | Q(last_seen__lt=recent)).update(
        last_seen=now, clock_offset_ms=offset_ms
    )
    if updated:
        return "ok"
    return "too soon" if rows.exists() else "unknown"


def listing(comp, snap, now=None):
    """Every screen of `comp` with what it shows, as the officials' page and the JSON API list them."""
    now = now or timezone.now()
    races, on_ice, classifications = snap["races"], snap["on_ice"], snap.get("classifications", ())
    rows = []
    for s in comp.screens.order_by("name"):
        view = screen_view(s.mode, s.race_id, s.text, races, on_ice, classifications, s.classification_id)
        age = None if s.last_seen is None else max(0, int((now - s.last_seen).total_seconds()))
        rows.append({
            "name": s.name,
            "mode": s.mode,
            "race": s.race_id,
            "text": s.text,
            "classification": s.classification_id,
            "view": view,
            "shows": describe(view, races),
            "last_seen": s.last_seen.isoformat() if s.last_seen else None,
            "seen_seconds_ago": age,
            "online": age is not None and age <= ONLINE_SECONDS,
            "clock_offset_ms": s.clock_offset_ms,
        })
    return rows


def bump_on_race_delete(sender, instance, **kwargs):
    """A deleted race leaves screens (SET_NULL) and the schedule changed: move the version so no
    screen keeps a cached schedule naming a race that is gone."""
    from django.db.models import F

    Competition.objects.filter(pk=instance.competition_id).update(version=F("version") + 1)
