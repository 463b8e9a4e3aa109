"""Backup and restore (timing/backup.py, manage.py dumpcompetition / loadcompetition).

A rich competition (the reference race with corrections, a void, a DQ, a fall and a reopening;
a held split placed, one discarded, one open; a team pursuit; a mass start with a corrected and
a voided crossing; a replay; a classification; screens; the race on the ice; an official in the
audit trail) is dumped and loaded again, and everything people see of it is compared field by
field, ids aside: within the test's SQLite database, and for real into a fresh PostgreSQL
database by `manage.py` processes. Bad files are refused with a message and leave every table
as it was.
"""
import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import CommandError, call_command

from tests import backup_views
from tests.procs import POSTGRES, ROOT, base_env, manage, reachable, scratch_postgres
from timing import backup, demo, services, snapshot, topics
from timing.classifications import create_classification
from timing.formats import crossings
from timing.models import Classification, Competition, Crossing, HeldSplit, Passing, Race
from timing.startlists import Entry, clone_race, create_race

def _one(rows, **filters):
    rows = rows.objects.all() if isinstance(rows, type) else rows
    return rows.filter(**filters).order_by("id").first()


@pytest.fixture
def rich(db):
    return make_rich()


_dumped = []


@pytest.fixture
def dumped(db):
    """The rich competition's dump, built once for the bad-file tests (each edits its own copy),
    with the reference race's start list in the database so that 'nothing changed' means something."""
    if not _dumped:
        _dumped.append(json.dumps(backup.dump(make_rich().id)))
    else:
        demo.load(skated=False)
    return json.loads(_dumped[0])


def make_rich():
    """A competition with every kind of row a dump carries; returns it."""
    race = demo.load(skated=True)[0]
    comp = race.competition
    anna = User.objects.create_user("anna")
    official = services.Actor.official(anna)
    services.set_race_state(race.id, Race.LIVE, official, reason="protest by the Dutch team")
    finish = _one(Passing.objects.current(), start__pair__race=race, distance=1000)
    services.correct_passing(finish.id, finish.time_ms + 10, "photo finish read again", official)
    split = _one(Passing.objects.current(), start__pair__race=race, distance=200, start__pair__number=2)
    services.void_passing(split.id, "double read", official)
    services.set_status(race.id, 3, "inner", "DQ", "crossed at the crossing line", official)
    services.set_fall(race.id, 4, "outer", True, official)
    services.set_race_state(race.id, Race.FINAL, official)

    names = [("Joy Beune", "NED"), ("Miho Takagi", "JPN"), ("Kimi Goetz", "USA"), ("Han Mei", "CHN")]
    entries = [Entry(1 + i // 2, ("inner", "outer")[i % 2], n, c, licence="NED-123" if i == 0 else "",
                     pb_ms=37900 + 100 * i if i < 3 else None)
               for i, (n, c) in enumerate(names)]
    sprint = create_race(comp.name, "Women's 500 m", "Women", 500, entries)
    services.start_pair(sprint.id, 1, official)
    services.record_passing(sprint.id, 1, "inner", 100, 10480, official)
    lynx = services.Actor.from_device("lynx")
    held = services.hold_split(sprint.id, 1, "outer", 10610, lynx, "two points fit", (100,))
    services.place_held(held.id, 100, official)
    stray = services.hold_split(sprint.id, 1, "outer", 20000, lynx, "no point fits")
    services.discard_held(stray.id, "a stray read", official)
    services.hold_split(sprint.id, 1, "inner", 30000, lynx, "no point fits")

    teams = [Entry(1, lane, name, nation, invented=True, team_skaters=tuple(f"{nation} {n}" for n in (1, 2, 3)))
             for lane, (nation, name) in zip(("inner", "outer"), [("NED", "Netherlands"), ("CAN", "Canada")])]
    pursuit = create_race(comp.name, "Women's team pursuit", "Women", 2400, teams, kind=Race.TEAM_PURSUIT)
    services.start_pair(pursuit.id, 1, services.IMPORT)
    services.record_passing(pursuit.id, 1, "inner", 400, 30100, services.IMPORT, invented=True)
    services.record_passing(pursuit.id, 1, "outer", 400, 30400, services.IMPORT, invented=True)

    pack = [Entry(1, "", f"Pack skater {b}", "NOR", invented=True, bib=b) for b in (1, 2, 3)]
    mass = create_race(comp.name, "Men's mass start", "Men", 6400, pack, kind=Race.MASS_START)
    services.start_pair(mass.id, 1, services.IMPORT)
    for ms, bib in [(31000, 1), (31200, 2), (31300, 3), (52000, 3), (62000, 1)]:
        crossings.record_crossing(mass.id, bib, ms, services.IMPORT, invented=True)
    crossings.void_crossing(_one(Crossing, start__bib=3, time_ms=52000).id, "double read", official)
    crossings.correct_crossing(_one(Crossing, start__bib=2).id, 31250, "video", official)
    crossings.set_bib_status(mass.id, 3, "DNF", "cramp", official)

    replay = clone_race(race, "Women's 1000 m (replay)")
    Race.objects.filter(pk=replay.id).update(replay_of=race)

    create_classification(comp.id, "Sprint-ish", "custom", [sprint.id, race.id], official)
    sprintish = Classification.objects.get(competition=comp, name="Sprint-ish").id
    services.set_on_ice(comp.id, sprint.id, official)
    services.set_screen(comp.id, "north-stand", {"mode": "results", "race": race.id}, official)
    services.set_screen(comp.id, "finish-line", {"mode": "message", "text": "Flower ceremony at 18:30"}, official)
    services.set_screen(comp.id, "infield", {"mode": "classification", "classification": sprintish}, official)
    return Competition.objects.get(pk=comp.id)


def counts():
    """Rows in every table of the project (and the accounts): what a refused load must not change."""
    models = list(apps.get_app_config("timing").get_models()) + [User]
    return {m.__name__: m.objects.count() for m in models}


def canonical(data):
    """The dump with every id replaced by the row's place in its table: two dumps of the same
    competition made in different databases are then equal, reference for reference."""
    place = {key: {row["id"]: n for n, row in enumerate(data[key])} for key in backup.BY_KEY}
    place[backup.COMPETITION] = {data[backup.COMPETITION]["id"]: 0}
    out = {"competition": {**data["competition"], "id": 0,
                           "on_ice": place["races"].get(data["competition"]["on_ice"])}}
    for table in backup.TABLES:
        rows = []
        for row in data[table.key]:
            row = {**row, "id": place[table.key][row["id"]]}
            for name, target in table.refs.items():
                if target != backup.USERS and row[name] is not None:
                    row[name] = place[target][row[name]]
            rows.append(row)
        out[table.key] = rows
    return out


def differences(a, b, path=""):
    """Where two JSON-like values differ, as paths: an assertion's message a person can read."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str)
                for d in differences(a.get(k, "<missing>"), b.get(k, "<missing>"), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r:.80} != {b!r:.80}"]


def leaves(value):
    """How many single values `value` holds: the fields a comparison of it compares."""
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(leaves(v) for v in value)
    return 1


def fields_compared(data):
    return sum(len(row) for key in backup.BY_KEY for row in data[key]) + len(data["competition"])


def load_text(text, *args):
    out = io.StringIO()
    path = Path("/tmp") / f"oval-dump-{time.monotonic_ns()}.json"
    path.write_text(text)
    try:
        call_command("loadcompetition", str(path), *args, stdout=out)
    finally:
        path.unlink()
    return out.getvalue()


def refused(text, *args):
    """Load `text`; it must be refused with a CommandError and leave every table as it was."""
    before = counts()
    with pytest.raises(CommandError) as e:
        load_text(text, *args)
    assert counts() == before
    return str(e.value)


# --- the round trip ---------------------------------------------------------------------------


def poison(data):
    """Put a wrong snapshot in the cache under every (id, version) the restored races and the
    schedule could get (SQLite gives the next ids): the restore must not serve it."""
    newest = Race.objects.order_by("-id").values_list("id", flat=True).first()
    for n in range(1, len(data["races"]) + 1):
        for row in data["races"]:
            cache.set(snapshot.cache_key(topics.RACE, newest + n, row["version"]), '{"version": -1}')
    newest = Competition.objects.order_by("-id").values_list("id", flat=True).first()
    cache.set(snapshot.cache_key(topics.COMPETITION, newest + 1, data["competition"]["version"]), '{"version": -1}')


def test_a_competition_dumped_and_loaded_again_is_the_same_competition_with_new_ids(
        rich, django_capture_on_commit_callbacks):
    source = backup.dump(rich.id)
    seen = backup_views.views(rich.id)
    Competition.objects.filter(pk=rich.id).update(name="Moved away")  # so the restore keeps its name
    poison(source)
    with django_capture_on_commit_callbacks(execute=True):
        said = load_text(json.dumps(source))
    new_id = int(re.search(r"as id (\d+) \(was (\d+)\)", said).group(1))
    n = {key: len(source[key]) for key in backup.BY_KEY}
    assert (n["races"], n["passings"], n["crossings"], n["held_splits"], n["personal_bests"]) == (5, 95, 6, 3, 3)
    assert (f"as id {new_id} (was {rich.id}): 5 races, {n['pairs']} pairs, 95 passings (1 corrected, 1 voided), "
            f"6 crossings, 3 held splits, {n['changes']} audit rows, 1 classification, 3 screens. "
            "New ids were given to every row.") in said
    assert "Officials named in the audit trail with no account here" not in said  # anna is here
    restored = Competition.objects.get(pk=new_id)
    assert str(restored.restored_from) == source["source"]["dump_id"]
    assert not set(restored.races.values_list("id", flat=True)) & {r["id"] for r in source["races"]}

    again = backup_views.views(new_id)
    assert differences(again, seen) == []
    for race in again["races"]:
        assert race["served"] == race["snapshot"]  # built fresh, not the poisoned cache
    assert again["served_schedule"] == again["schedule"]
    assert canonical(backup.dump(new_id)) == canonical(source)
    # The references that views() leaves out (ids), through the restored rows themselves.
    by_title = {r.title: r for r in restored.races.all()}
    assert by_title["Women's 1000 m (replay)"].replay_of == by_title["Women's 1000 m"]
    assert restored.on_ice == by_title["Women's 500 m"]
    assert restored.screens.get(name="north-stand").race == by_title["Women's 1000 m"]
    assert restored.screens.get(name="infield").classification == restored.classifications.get()
    assert [r.title for r in restored.classifications.get().ordered_races()] == ["Women's 500 m", "Women's 1000 m"]
    placed = HeldSplit.objects.get(start__pair__race=by_title["Women's 500 m"], placed__isnull=False)
    assert placed.placed.start == placed.start and placed.placed.time_ms == placed.time_ms
    corrected = Passing.objects.get(start__pair__race=by_title["Women's 1000 m"], corrects__isnull=False)
    assert corrected.corrects.superseded_at is not None and corrected.corrects.start == corrected.start
    assert Passing.objects.filter(start__pair__race__competition=restored, entered_by__username="anna").exists()


def test_the_demo_championship_round_trips_with_its_allround_table(db):
    from timing import demo_championship

    classification, _ = demo_championship.load()
    comp = classification.competition
    source = backup.dump(comp.id)
    seen = backup_views.views(comp.id)
    Competition.objects.filter(pk=comp.id).update(name="Moved away")
    said = load_text(backup.text(source))
    new_id = int(re.search(r"as id (\d+)", said).group(1))
    assert "4 races" in said and "1 classification" in said
    assert differences(backup_views.views(new_id), seen) == []
    assert len(seen["classifications"][0]["standings"]) == 10  # a table with skaters in it was compared
    assert canonical(backup.dump(new_id)) == canonical(source)


def test_a_second_load_of_the_same_file_is_refused_naming_the_competition_it_became(rich):
    text = json.dumps(backup.dump(rich.id))
    said = load_text(text, "--name", "Restored")
    restored = Competition.objects.get(name="Restored")
    assert f"as id {restored.pk} (was {rich.id})" in said
    message = refused(text, "--name", "Restored again")
    assert f"already loaded as competition 'Restored' (id {restored.pk})" in message


def test_a_competition_of_the_same_name_is_not_loaded_beside_it_without_another_name(rich):
    message = refused(json.dumps(backup.dump(rich.id)))
    assert f"There is already a competition named '{rich.name}' (id {rich.id})" in message
    assert f"--name '{rich.name} (restored)'" in message


def test_officials_with_no_account_here_get_inactive_accounts_so_the_trail_still_names_them(rich):
    data = backup.dump(rich.id)
    for row in data["changes"]:
        if row["actor"] == "anna":
            row["actor"] = "bea"
    said = load_text(json.dumps(data), "--name", "Restored")
    assert "Officials named in the audit trail with no account here: bea; created as inactive" in said
    bea = User.objects.get(username="bea")
    assert not bea.is_active and not bea.has_usable_password() and not bea.get_all_permissions()


def test_a_replay_of_a_race_of_another_competition_is_dumped_without_the_link_and_says_so(rich):
    other = rich.races.get(title="Women's 1000 m")
    elsewhere = create_race("Elsewhere", "Somewhere's 1000 m", "Women", 1000,
                            [Entry(1, "inner", "Joy Beune", "NED")])
    Race.objects.filter(pk=other.pk).update(replay_of=elsewhere)
    data = backup.dump(rich.id)
    assert [r["replay_of"] for r in data["races"] if r["id"] == other.pk] == [None]
    assert f"races {other.pk}: its replay_of was race {elsewhere.pk} of another competition; not kept." in data["notes"]
    said = load_text(json.dumps(data), "--name", "Restored")
    assert f"Note: races {other.pk}: its replay_of was race {elsewhere.pk}" in said


# --- bad files: a clear message, nothing loaded --------------------------------------------------


def test_a_truncated_file_is_refused(dumped):
    text = json.dumps(dumped)
    message = refused(text[: len(text) // 2])
    assert "is not complete JSON" in message and "cut short" in message


def test_a_file_that_is_not_a_dump_is_refused(dumped):
    assert "not an Oval competition dump" in refused(json.dumps({"races": []}))
    assert "not an Oval competition dump" in refused("[1, 2, 3]")


def test_a_dump_from_a_newer_oval_is_refused(dumped):
    data = dumped
    message = refused(json.dumps({**data, "schema": "0099_from_the_future"}))
    assert "made by a newer Oval (schema 0099_from_the_future)" in message and "upgrade this server first" in message
    message = refused(json.dumps({**data, "format_version": 2}))
    assert "made by a newer Oval (format 2)" in message


def test_a_passing_for_a_start_not_in_the_dump_is_refused_naming_the_row(dumped):
    data = dumped
    row = data["passings"][40]
    row["start"] = 999999
    message = refused(json.dumps(data), "--name", "Restored")
    assert f"passings row 41 (id {row['id']}): its start 999999 is not a start in this dump" in message


def test_a_start_in_a_pair_not_in_the_dump_is_refused(dumped):
    data = dumped
    data["pairs"] = data["pairs"][1:]  # pair 1 of the first race cut out by hand
    message = refused(json.dumps(data), "--name", "Restored")
    assert "starts row 1" in message and "is not a pair in this dump" in message


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d["passings"][0].update(time_ms="1:14.8"), "passings row 1 (id {id}): 'time_ms' must be a whole number"),
    (lambda d: d["passings"][0].update(time_ms=-5), "'time_ms' must not be negative"),
    (lambda d: d["passings"][0].update(source="psychic"), "'source' is 'psychic'; it must be one of"),
    (lambda d: d["passings"][0].update(colour="red"), "unknown field(s) colour"),
    (lambda d: d["passings"][0].pop("entered_at"), "missing field(s) entered_at"),
    (lambda d: d["passings"][0].update(entered_at="yesterday"), "'entered_at' 'yesterday' is not a date and time"),
    (lambda d: d["passings"][0].update(entered_at="2026-02-09T16:30:00"), "has no time zone"),
    (lambda d: d["passings"][0].update(invented="no"), "'invented' must be true or false"),
    (lambda d: d["starts"][0].update(team_skaters="Netherlands"), "'team_skaters' must be a list of names"),
    (lambda d: d.pop("changes"), "This dump has no 'changes'"),
    (lambda d: d.update(users=[]), "unknown part(s) users"),
    (lambda d: d.update(notes="all fine"), "'notes' must be a list of sentences"),
])
def test_a_hand_edited_field_is_refused_naming_the_row_and_the_field(dumped, edit, expected):
    data = dumped
    first = data["passings"][0]["id"]
    edit(data)
    assert expected.format(id=first) in refused(json.dumps(data), "--name", "Restored")


def test_a_dump_that_contradicts_the_database_constraints_loads_nothing(dumped):
    data = dumped
    data["passings"][1]["distance"] = data["passings"][0]["distance"]  # two current times at one point
    data["passings"][1]["start"] = data["passings"][0]["start"]
    message = refused(json.dumps(data), "--name", "Restored")
    assert "The dump contradicts itself or this database" in message and "nothing was loaded" in message


# --- SQLite to PostgreSQL, for real ------------------------------------------------------------------


COUNTS = ("import json; from django.apps import apps; from django.contrib.auth.models import User; "
          "print(json.dumps({m.__name__: m.objects.count() for m in "
          "[*apps.get_app_config('timing').get_models(), User]}))")


def shell(env, code):
    """Run Python in a manage.py process of `env`'s database; its last line of output, as JSON."""
    return json.loads(manage(env, "shell", "-v0", "-c", code).splitlines()[-1])


@pytest.mark.scaleout
def test_a_competition_moved_from_sqlite_to_postgresql_is_the_same_field_by_field(rich, tmp_path):
    if not reachable(POSTGRES):
        pytest.skip(f"needs PostgreSQL on {POSTGRES[0]}:{POSTGRES[1]}")
    path = tmp_path / "event.json"
    call_command("dumpcompetition", str(rich.id), "--output", str(path))
    source = json.loads(path.read_text())
    seen = backup_views.views(rich.id)
    with scratch_postgres("oval_restore") as (database_url, _):
        env = base_env(DATABASE_URL=database_url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "shell", "-c", "from django.contrib.auth.models import User; User.objects.create_user('anna')")
        started = time.perf_counter()
        said = manage(env, "loadcompetition", str(path))
        took = time.perf_counter() - started
        new_id = int(re.search(r"as id (\d+)", said).group(1))
        again = tmp_path / "again.json"
        manage(env, "dumpcompetition", str(new_id), "--output", str(again))
        there = shell(env, f"from tests.backup_views import main; main({new_id})")
        before = shell(env, COUNTS)
        twice = subprocess.run([sys.executable, "manage.py", "loadcompetition", str(path)], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=120)
        after = shell(env, COUNTS)
    restored = json.loads(again.read_text())
    assert restored["schema"] == source["schema"]
    assert canonical(restored) == canonical(source)  # every row, every field, every reference
    assert differences(there, json.loads(json.dumps(seen))) == []  # snapshots, results, audit, tables
    assert twice.returncode != 0
    assert f"already loaded as competition '{rich.name}' (id {new_id})" in twice.stderr
    assert after == before and after["Passing"] == len(source["passings"])
    tables = {key: len(source[key]) for key in backup.BY_KEY}
    print(f"\nround trip SQLite -> PostgreSQL: {sum(tables.values()) + 1} rows in {len(tables) + 1} tables, "
          f"{fields_compared(source)} fields compared, 0 differences; {leaves(seen)} values of snapshots, "
          f"result lists, audit rows and classification tables compared, 0 differences; load took {took:.2f} s "
          f"(one manage.py process, with its start-up); rows per table: {tables}")
