"""Creating a race from a start list: shared by the CSV import, the demo loader and replays.

Creating a start list is setting up, not a timing change, so it bypasses the broadcast: no
screen is watching a race that does not exist yet.
"""
import csv
import io
import re
from dataclasses import dataclass

from django.db import transaction

from .models import Competition, Pair, PersonalBest, Race, Skater, Start
from .rules import RuleError
from .rules.board import LANES
from .rules.points import measuring_points
from .rules.times import parse_time


@dataclass
class Entry:
    pair: int
    lane: str
    name: str
    nation: str
    pb_ms: int | None = None
    invented: bool = False


class StartListError(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


NATION = re.compile(r"^[A-Z]{3}$")


def read_csv(text):
    """Entries from `pair,lane,name,nation[,pb]`; every bad row is reported by its line number."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))  # Excel's UTF-8 byte order mark
    rows, read = [], 0  # (first line of the row, row): a quoted cell may span lines
    try:
        for row in reader:
            rows.append((read + 1, row))
            read = reader.line_num
    except csv.Error as e:
        raise StartListError([f"line {read + 1}: {e}"]) from e
    header = [h.strip().lower() for h in (rows[0][1] if rows else [])]
    if header[:4] != ["pair", "lane", "name", "nation"] or header[4:] not in ([], ["pb"]):
        raise StartListError(["line 1: the header must be pair,lane,name,nation or pair,lane,name,nation,pb"])
    entries, problems, seen, skaters = [], [], {}, {}
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) not in (4, len(header)):
            problems.append(f"line {line}: expected {len(header)} columns, found {len(row)}")
            continue
        pair, lane, name, nation = (c.strip() for c in row[:4])
        pb = row[4].strip() if len(row) > 4 else ""
        # isascii: "²" and "١" pass isdigit() but are no pair numbers.
        if not (pair.isascii() and pair.isdigit()) or int(pair) < 1:
            problems.append(f"line {line}: pair '{pair[:20]}' must be a number from 1")
            continue
        if lane.lower() not in LANES:
            problems.append(f"line {line}: lane '{lane[:20]}' must be inner or outer")
            continue
        if not name:
            problems.append(f"line {line}: the name is empty")
            continue
        if len(name) > 200:
            problems.append(f"line {line}: the name is longer than 200 characters")
            continue
        if not NATION.match(nation.upper()):
            problems.append(f"line {line}: nation '{nation[:20]}' must be a three-letter IOC code such as NED")
            continue
        pb_ms = None
        if pb:
            try:
                pb_ms = parse_time(pb)
            except RuleError as e:
                problems.append(f"line {line}: personal best: {e.message}")
                continue
        key = (int(pair), lane.lower())
        if key in seen:
            problems.append(f"line {line}: pair {int(pair)} {lane.lower()} is already taken by line {seen[key]}")
            continue
        who = (name, nation.upper())
        if who in skaters:
            problems.append(f"line {line}: {name} ({nation.upper()}) is already on line {skaters[who]}")
            continue
        seen[key], skaters[who] = line, line
        entries.append(Entry(int(pair), lane.lower(), name, nation.upper(), pb_ms))
    if problems:
        raise StartListError(problems)
    if not entries:
        raise StartListError(["the file holds no skaters"])
    return entries


def create_race(competition_name, title, category, distance, entries, *, venue="", demo=False,
                olympic=False, starts_on=None, ends_on=None):
    try:
        measuring_points(distance)
    except RuleError as e:
        raise StartListError([e.message]) from e
    numbers = sorted({e.pair for e in entries})
    if numbers != list(range(1, len(numbers) + 1)):
        raise StartListError([f"pairs must be numbered 1 to {len(numbers)} without gaps; found {numbers}"])
    with transaction.atomic():
        competition, _ = Competition.objects.get_or_create(
            name=competition_name,
            defaults={"venue": venue, "olympic": olympic, "starts_on": starts_on, "ends_on": ends_on},
        )
        race = Race.objects.create(competition=competition, title=title, category=category,
                                   distance=distance, demo=demo)
        pairs = {n: Pair.objects.create(race=race, number=n) for n in numbers}
        for e in entries:
            skater = Skater.objects.filter(name=e.name, nation=e.nation, invented=e.invented).first()
            if skater is None:
                skater = Skater.objects.create(name=e.name, nation=e.nation, invented=e.invented)
            if e.pb_ms:
                PersonalBest.objects.update_or_create(skater=skater, distance=distance, defaults={"pb_ms": e.pb_ms})
            Start.objects.create(pair=pairs[e.pair], lane=e.lane, skater=skater)
    return race


def clone_race(source, title):
    """A fresh, unskated race with the same start list: what a replay runs on."""
    entries = [
        Entry(s.pair.number, s.lane, s.skater.name, s.skater.nation, invented=s.skater.invented)
        for s in Start.objects.filter(pair__race=source).select_related("pair", "skater")
    ]
    return create_race(source.competition.name, title, source.category, source.distance, entries,
                       demo=source.demo)
