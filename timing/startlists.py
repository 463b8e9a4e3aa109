"""Creating a race from a start list: shared by the CSV import, the demo loader and replays.

Creating a start list is setting up, not a timing change, so it bypasses the broadcast: no
screen is watching a race that does not exist yet.
"""
import csv
import io
import re
from dataclasses import dataclass, replace

from django.db import transaction

from .models import Competition, Pair, PersonalBest, Race, Skater, Start
from .rules import RuleError
from .rules.board import LANES
from .rules.names import clean_name
from .rules.times import parse_time


@dataclass
class Entry:
    pair: int
    lane: str
    name: str
    nation: str
    pb_ms: int | None = None
    invented: bool = False
    licence: str = ""  # the optional skater_id column: a federation licence
    bib: int | None = None  # mass start (no pair, no lane)
    team_skaters: tuple = ()  # team pursuit: the team is `name`, its skaters these


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a start list: where (the file's line, the column) and what to do."""

    line: int | None
    field: str | None
    message: str

    def __str__(self):
        where = ", ".join(filter(None, [f"line {self.line}" if self.line else "", self.field or ""]))
        return f"{where}: {self.message}" if where else self.message


class StartListError(Exception):
    """Every problem of a start list at once: the official fixes the file in one go, not line by line."""

    def __init__(self, problems):
        problems = [p if isinstance(p, Problem) else Problem(None, None, str(p)) for p in problems]
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems

    @classmethod
    def too_large(cls, size):
        """Said before a byte is parsed: the size alone is enough to know it is the wrong file."""
        return cls([Problem(None, None, (
            f"the file is {size / 1_000_000:.1f} MB; a start list is a few kilobytes (at most "
            f"{MAX_CSV_BYTES // 1_000_000} MB). Check that you chose the CSV start list, not a spreadsheet or a photo."
        ))])


#: A start list of 40 pairs is about 3 kB. Anything over this is the wrong file, refused unread.
MAX_CSV_BYTES = 1_000_000
MAX_NAME = 100
MAX_LICENCE = 40
REQUIRED = ("pair", "lane", "name", "nation")
OPTIONAL = ("pb", "skater_id")
NATION = re.compile(r"^[A-Z]{3}$")
LICENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


# --- one field at a time: shared by the CSV, the late-entry form and the services -------------


def check_pair(text):
    """A pair number from text or int; (number, None) or (None, what to do)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return (text, None) if text >= 1 else (None, f"pair {text} does not exist; pairs are numbered from 1.")
    raw = str(text).strip()
    # isascii: "²" and "١" pass isdigit() but are no pair numbers.
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or len(raw) > 4:
        return None, f"'{raw[:20]}' is not a pair number; write a whole number from 1, such as 3."
    return int(raw), None


def check_lane(text):
    lane = str(text).strip().lower()
    if lane not in LANES:
        return None, f"'{str(text).strip()[:20]}' is not a lane; write inner or outer."
    return lane, None


def check_name(text):
    """Every name, however it came in: what a person sees on a board is what is stored."""
    name = re.sub(r"[ \t]+", " ", str(text)).strip()  # stray double spaces and tabs from a spreadsheet
    if not name:
        return None, "the name is empty; write the skater's name as it should appear on the boards."
    if len(name) > MAX_NAME:
        return None, f"the name has {len(name)} characters; shorten it to {MAX_NAME} at most."
    try:
        return clean_name(name), None  # no invisible, bidi or control characters (rules/names.py)
    except RuleError as e:
        return None, e.message + "."


def check_nation(text):
    nation = str(text).strip().upper()
    if not NATION.match(nation):
        return None, f"'{str(text).strip()[:20]}' is not a nation; write the three-letter IOC code, such as NED."
    return nation, None


def check_pb(text):
    """A personal best as typed ("1:14.20"), or None when the cell is empty."""
    raw = str(text or "").strip()
    if not raw:
        return None, None
    try:
        return parse_time(raw), None
    except RuleError as e:
        return None, e.message


def check_licence(text):
    licence = str(text or "").strip()
    if licence and (len(licence) > MAX_LICENCE or not LICENCE.match(licence)):
        return None, (
            f"'{licence[:20]}' is not a federation licence; use letters, digits, '.', '-' or '/', "
            f"at most {MAX_LICENCE} characters, or leave it empty."
        )
    return licence, None


# --- the CSV -----------------------------------------------------------------------------------


def decode(data):
    """Text of an uploaded file, or a StartListError naming the line with the first bad byte."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if len(data) > MAX_CSV_BYTES:
        raise StartListError.too_large(len(data))
    try:
        return data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise StartListError([Problem(line, None, (
            f"byte 0x{data[e.start]:02X} is not UTF-8 text (a name such as Sjöblom saved as Latin-1?); "
            "save the file as 'CSV UTF-8' and upload it again."
        ))]) from None


def _rows(text):
    """(first line of the row, cells): a quoted cell may span lines, so line numbers are counted."""
    reader = csv.reader(io.StringIO(text))
    rows, read = [], 0
    try:
        for row in reader:
            rows.append((read + 1, row))
            read = reader.line_num
    except csv.Error as e:
        raise StartListError([Problem(read + 1, None, f"{e}; check the quotes on this line.")]) from None
    return rows


def _columns(header):
    """{column name: index} from the header row, or the problems with it."""
    names = [h.strip().lower() for h in header]
    problems = []
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        problems.append(Problem(1, ", ".join(missing), (
            f"the header has no column {' or '.join(missing)}; the first line must name the columns "
            f"{','.join(REQUIRED)} (and optionally {','.join(OPTIONAL)})."
        )))
    for name in names:
        if name not in REQUIRED + OPTIONAL:
            problems.append(Problem(1, name[:20] or "(empty)", (
                f"'{name[:20]}' is not a column of a start list; use {','.join(REQUIRED + OPTIONAL)}."
            )))
    for name in set(names):
        if names.count(name) > 1 and name in REQUIRED + OPTIONAL:
            problems.append(Problem(1, name, f"the header names {name} twice; keep one."))
    return {n: i for i, n in enumerate(names)}, problems


CHECKS = {"pair": check_pair, "lane": check_lane, "name": check_name, "nation": check_nation,
          "pb": check_pb, "skater_id": check_licence}


def read_csv(data, kind=Race.INDIVIDUAL):
    """Entries from a CSV start list (bytes as uploaded, or text), or a StartListError with every
    problem of the file: each cell is checked, then the file as a whole (lanes taken twice, a
    skater twice, gaps in the pair numbers). Columns: pair,lane,name,nation and optionally pb
    (such as 1:14.50) and skater_id (the federation licence), in any order. A team pursuit or a
    mass start list has its own header (timing/formats/startlists.py)."""
    if kind != Race.INDIVIDUAL:
        from .formats.startlists import read_csv as read_kind

        return read_kind(decode(data), kind)
    rows = _rows(decode(data))
    if not rows:
        raise StartListError([Problem(1, None, f"the file is empty; the first line must be {','.join(REQUIRED)}.")])
    columns, problems = _columns(rows[0][1])
    if problems:
        raise StartListError(problems)
    entries, lines, pairs = [], [], {}  # pairs: number -> first line, whatever else is wrong on it
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            problems.append(Problem(line, None, (
                f"{len(row)} cells but the header has {len(columns)} columns; remove the extra cells "
                "or quote a name that holds a comma."
            )))
            continue
        values, row_problems = {}, []
        for column, index in columns.items():
            cell = row[index] if index < len(row) else ""
            value, problem = CHECKS[column](cell)
            if problem:
                row_problems.append(Problem(line, column, problem))
            values[column] = value
        problems += row_problems
        if values["pair"] is not None:
            pairs.setdefault(values["pair"], line)
        if not row_problems:
            entries.append(Entry(values["pair"], values["lane"], values["name"], values["nation"],
                                 values.get("pb"), licence=values.get("skater_id") or ""))
            lines.append(line)
    problems += _whole_file(entries, lines) + _gaps(pairs)
    if problems:
        raise StartListError(sorted(problems, key=lambda p: (p.line or 0)))
    if not entries:
        raise StartListError([Problem(None, None, "the file holds no skaters; add one line per skater under the header.")])
    return entries


def _whole_file(entries, lines):
    problems, lanes, skaters, licences = [], {}, {}, {}
    for entry, line in zip(entries, lines):
        key = (entry.pair, entry.lane)
        if key in lanes:
            problems.append(Problem(line, "lane", (
                f"pair {entry.pair} {entry.lane} is already taken by line {lanes[key]}; "
                "give one of them the other lane or another pair."
            )))
        lanes.setdefault(key, line)
        who = (entry.name.casefold(), entry.nation)
        if who in skaters:
            problems.append(Problem(line, "name", f"{entry.name} ({entry.nation}) is already on line {skaters[who]}; "
                                    "a skater starts once in a race."))
        skaters.setdefault(who, line)
        if entry.licence:
            if entry.licence in licences:
                problems.append(Problem(line, "skater_id", (
                    f"licence {entry.licence} is already on line {licences[entry.licence]}; "
                    "each skater has their own."
                )))
            licences.setdefault(entry.licence, line)
    return problems


def _gaps(first_line):
    """A pair number that skips one: named on the first line of the pair after the gap."""
    problems, expected = [], 1
    for number in sorted(first_line):
        if number != expected:
            missing = f"pair {expected} is" if number == expected + 1 else f"pairs {expected} to {number - 1} are"
            problems.append(Problem(first_line[number], "pair", (
                f"pair {number} follows pair {expected - 1}, so {missing} missing; "
                "number the pairs 1, 2, 3… without gaps."
            ) if expected > 1 else (
                f"the first pair is {number}; number the pairs from 1 without gaps."
            )))
        expected = number + 1
    return problems


def check_entries(entries):
    """What a whole start list must be, however it arrived (CSV, JSON, a clone): pairs numbered
    from 1 without gaps, one skater per lane of a pair, nobody twice."""
    if not entries:
        raise StartListError(["the start list holds no skaters"])
    problems, lanes, people = [], set(), set()
    for e in entries:
        slot = (e.pair, e.lane) if e.bib is None else ("bib", e.bib)  # a mass start has bibs, no lanes
        if slot in lanes:
            problems.append(f"pair {e.pair} has two skaters in the {e.lane} lane" if e.bib is None
                            else f"bib {e.bib} is given twice")
        who = e.licence or (e.name, e.nation)
        if who in people:
            problems.append(f"{e.name} ({e.nation}) is on the start list twice")
        lanes.add(slot)
        people.add(who)
    numbers = sorted({e.pair for e in entries})
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"pairs must be numbered 1 to {len(numbers)} without gaps; found {numbers}")
    if problems:
        raise StartListError(problems)


def skater_for(entry, distance=None):
    """The Skater an entry names: by licence when it has one (the same person across races and
    spellings: "J. Beune" is Joy Beune when her licence says so), else by name and nation. A
    licence given to a skater of another nation is a mistyped licence, and refused."""
    if entry.licence:
        skater = Skater.objects.filter(licence=entry.licence).first()
        if skater is not None and skater.nation != entry.nation:
            raise StartListError([Problem(None, "skater_id", (
                f"licence {entry.licence} belongs to {skater.name} ({skater.nation}), not {entry.name} "
                f"({entry.nation}); check the licence."
            ))])
    else:
        skater = Skater.objects.filter(name=entry.name, nation=entry.nation, invented=entry.invented).first()
    if skater is None:
        skater = Skater.objects.create(name=entry.name, nation=entry.nation, invented=entry.invented,
                                       licence=entry.licence)
    if entry.pb_ms and distance:
        PersonalBest.objects.update_or_create(skater=skater, distance=distance, defaults={"pb_ms": entry.pb_ms})
    return skater


def add_starts(race, entries):
    """The pairs and starts of `race` from checked entries (inside the caller's transaction)."""
    pairs = {n: Pair.objects.create(race=race, number=n) for n in sorted({e.pair for e in entries})}
    for e in entries:
        Start.objects.create(pair=pairs[e.pair], lane=e.lane, skater=skater_for(e, race.distance), bib=e.bib,
                             team_skaters=list(e.team_skaters))


def prepare(kind, distance, entries):
    """The checked entries of a race of `kind`: a mass start's field shares one pair (its start
    signal) and has bibs, no lanes; a team pursuit's teams are checked as teams."""
    if kind != Race.INDIVIDUAL:
        from .formats.startlists import check_kind

        check_kind(kind, distance, entries)
    if kind == Race.MASS_START:
        entries = [replace(e, pair=1, lane="") for e in entries]
    check_entries(entries)
    return entries


def create_race(competition_name, title, category, distance, entries, *, venue="", demo=False,
                olympic=False, starts_on=None, ends_on=None, kind=Race.INDIVIDUAL):
    try:
        Race(kind=kind, distance=distance).points
    except RuleError as e:
        raise StartListError([e.message]) from e
    entries = prepare(kind, distance, entries)
    with transaction.atomic():
        competition, _ = Competition.objects.get_or_create(
            name=competition_name,
            defaults={"venue": venue, "olympic": olympic, "starts_on": starts_on, "ends_on": ends_on},
        )
        order = (competition.races.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        race = Race.objects.create(competition=competition, title=title, category=category,
                                   distance=distance, demo=demo, order=order, kind=kind)
        add_starts(race, entries)
    return race


def clone_race(source, title):
    """A fresh, unskated race with the same start list: what a replay runs on."""
    entries = [
        Entry(s.pair.number, s.lane, s.skater.name, s.skater.nation, invented=s.skater.invented,
              licence=s.skater.licence, bib=s.bib, team_skaters=tuple(s.team_skaters))
        for s in Start.objects.filter(pair__race=source).select_related("pair", "skater")
    ]
    return create_race(source.competition.name, title, source.category, source.distance, entries,
                       demo=source.demo, kind=source.kind)


def read_json(data):
    """Entries from {"starts": [{"pair", "lane", "name", "nation", "pb"?, "skater_id"?}]}: an
    integration's start list, each field checked exactly as a CSV cell is, every problem named at
    once (the whole list, lanes and gaps, is checked by check_entries where it is stored)."""
    starts = data.get("starts") if isinstance(data, dict) else None
    if not isinstance(starts, list):
        raise StartListError(['the body must be {"starts": [{"pair", "lane", "name", "nation", "pb"}]}'])
    known = set(REQUIRED + OPTIONAL)
    entries, problems = [], []
    for n, s in enumerate(starts, 1):
        where = f"start {n}"
        if not isinstance(s, dict):
            problems.append(Problem(None, where, "must be an object with pair, lane, name and nation"))
            continue
        unknown = sorted(map(str, set(s) - known))
        if unknown:
            problems.append(Problem(None, where, f"unknown field '{unknown[0][:40]}'; known: {', '.join(sorted(known))}"))
            continue
        values, mine = {}, []
        for column in REQUIRED + OPTIONAL:
            raw = s.get(column)
            if raw is None and column in OPTIONAL:
                raw = ""
            if column == "pair" and (isinstance(raw, bool) or not isinstance(raw, int)):
                mine.append(Problem(None, f"{where}, pair", "must be a whole number from 1, such as 3."))
                continue
            if column != "pair" and not isinstance(raw, str):
                mine.append(Problem(None, f"{where}, {column}", "must be text, such as \"NED\" or \"1:14.50\"."))
                continue
            values[column], problem = CHECKS[column](raw)
            if problem:
                mine.append(Problem(None, f"{where}, {column}", problem))
        problems += mine
        if not mine:
            entries.append(Entry(values["pair"], values["lane"], values["name"], values["nation"], values["pb"],
                                 licence=values["skater_id"] or ""))
    if problems:
        raise StartListError(problems)
    return entries
