"""Prepared reads (timing/prepared.py) give exactly what their querysets give, by the same SQL.

The board of every write is built from these reads, so a difference here would be a wrong board
on every screen; the backup round trip (tests/test_backup.py) runs them on PostgreSQL too and
compares every snapshot with SQLite's.
"""
import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from tests.test_backup import make_rich
from timing import services, snapshot
from timing.models import HeldSplit, Pair, Passing, PersonalBest, Race, Record, Start
from timing.prepared import Prepared


@pytest.fixture
def races(db):
    make_rich()
    return list(Race.objects.select_related("competition").order_by("id"))


# Each prepared read of the board, its arguments from a race, and the queryset it stands for.
READS = {
    "pairs": (snapshot._PAIRS, lambda r: (r.id,),
              lambda r: Pair.objects.filter(race=r).order_by("number").values_list("number", "started_at")),
    "starts": (snapshot._STARTS, lambda r: (r.id,), lambda r: Start.objects.filter(pair__race=r).values(
        "id", "lane", "status", "status_reason", "fell", "skater_id", "team_skaters", pair_number=F("pair__number"),
        name=F("skater__name"), nation=F("skater__nation"), skater_invented=F("skater__invented"))),
    "passings": (snapshot._PASSINGS, lambda r: (r.id,),
                 lambda r: Passing.objects.current().filter(start__pair__race=r).order_by("distance")
                 .values("id", "start_id", "distance", "time_ms", "invented", "source")),
    "bests": (snapshot._BESTS, lambda r: (r.distance, r.id),
              lambda r: PersonalBest.objects.filter(distance=r.distance, skater__starts__pair__race=r).distinct()
              .values("skater_id", "pb_ms", "sb_ms")),
    "records": (snapshot._RECORDS, lambda r: (r.category, r.distance),
                lambda r: Record.objects.filter(category=r.category, distance=r.distance)
                .values_list("kind", "time_ms", "nation", "venue")),
    "held": (snapshot._HELD, lambda r: (r.id,),
             lambda r: HeldSplit.objects.open().filter(start__pair__race=r).values_list("id", flat=True)),
}


def _key(row):
    return repr(sorted(row.items())) if isinstance(row, dict) else repr(row)


@pytest.mark.parametrize("name", READS)
def test_each_board_read_gives_what_its_queryset_gives_value_for_value_and_type_for_type(races, name):
    read, args, queryset = READS[name]
    seen_rows = 0
    for race in races:
        ours, theirs = read(*args(race)), list(queryset(race))
        if name in ("starts", "bests", "records", "held"):  # no order asked of the database
            ours, theirs = sorted(ours, key=_key), sorted(theirs, key=_key)
        assert ours == theirs, race.title
        assert [_types(r) for r in ours] == [_types(r) for r in theirs]
        seen_rows += len(ours)
    assert seen_rows > 0  # the rich competition has rows of every read


def _types(row):
    values = row.values() if isinstance(row, dict) else row if isinstance(row, tuple) else [row]
    return [type(v) for v in values]


def test_booleans_and_times_come_back_as_python_values_not_as_sqlites_integers_and_text(races):
    race = races[0]
    starts = snapshot._STARTS(race.id)
    assert {type(s["fell"]) for s in starts} == {bool} and any(s["fell"] for s in starts)
    started = [at for _, at in snapshot._PAIRS(race.id)]
    assert all(isinstance(at, dt.datetime) and at.tzinfo is not None for at in started)


def test_a_prepared_read_runs_the_sql_its_queryset_runs(races):
    race = races[0]
    with CaptureQueriesContext(connection) as orm:
        list(READS["starts"][2](race))
    with CaptureQueriesContext(connection) as prepared:
        snapshot._STARTS(race.id)
        snapshot._STARTS(race.id)
    assert [q["sql"] for q in prepared.captured_queries] == [orm.captured_queries[0]["sql"]] * 2


def test_the_board_is_the_same_built_from_prepared_reads_and_after_a_write(races, snap):
    race = races[0]
    before = snapshot.build(race)
    services.set_race_state(race.id, Race.LIVE, services.IMPORT, reason="a protest")
    services.set_fall(race.id, 4, "outer", False, services.IMPORT)
    after = snap(race.id)
    assert after["version"] == before["version"] + 2
    assert [p["outer"]["fell"] for p in after["pairs"] if p["number"] == 4] == [False]
    assert [p["outer"]["fell"] for p in before["pairs"] if p["number"] == 4] == [True]


@pytest.mark.parametrize("call, message", [
    (lambda: snapshot._PAIRS("1"), "must be int"),
    (lambda: snapshot._PAIRS(True), "must be int"),
    (lambda: snapshot._PAIRS(), "expected 1 arguments"),
    (lambda: snapshot._RECORDS(500, 500), "must be str"),
])
def test_arguments_of_the_wrong_kind_are_refused_before_any_query(db, call, message):
    with CaptureQueriesContext(connection) as seen, pytest.raises(TypeError, match=message):
        call()
    assert seen.captured_queries == []


def test_reads_that_cannot_be_prepared_are_refused_when_first_used(db):
    with pytest.raises(TypeError, match="values"):
        Prepared(lambda race: Pair.objects.filter(race_id=race), int)(1)
    with pytest.raises(ValueError, match="every argument"):
        Prepared(lambda race: Pair.objects.filter(race_id=1).values_list("number", flat=True), int)(1)
