"""Start lists of a team pursuit (`pair,lane,team,nation,skaters`) and a mass start (`bib,name,nation`).

Read like the individual list (timing/startlists.py): every bad row is reported by its line
number and nothing is created. A team pursuit heat is a pair and its teams are the pair's two
positions: inner = the team starting on the home straight, outer = the back straight.
"""
from ..models import Race
from ..rules import RuleError, mass_start, team_pursuit
from ..rules.board import LANES
from ..startlists import NATION, Entry, StartListError, _rows

HEADERS = {
    Race.TEAM_PURSUIT: ["pair", "lane", "team", "nation", "skaters"],
    Race.MASS_START: ["bib", "name", "nation"],
}
INDIVIDUAL_HEADER = ["pair", "lane", "name", "nation"]


def read_csv(text, kind):
    rows = _rows(text)
    header = [h.strip().lower() for h in (rows[0][1] if rows else [])]
    expected = HEADERS[kind]
    if header != expected:
        if kind == Race.MASS_START and header[:2] == ["pair", "lane"]:
            raise StartListError([
                "line 1: a mass start has no pairs or lanes: every skater starts together with a bib; "
                "the header must be bib,name,nation"
            ])
        raise StartListError([f"line 1: the header of a {kind.replace('_', ' ')} must be {','.join(expected)}"])
    read_row = _team if kind == Race.TEAM_PURSUIT else _skater
    entries, problems, seen = [], [], {}
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(expected):
            problems.append(f"line {line}: expected {len(expected)} columns, found {len(row)}")
            continue
        try:
            entry, key, who = read_row([c.strip() for c in row])
        except RuleError as e:
            problems.append(f"line {line}: {e.message}")
            continue
        for k in (key, who):
            if k in seen:
                problems.append(f"line {line}: {k[1]} is already on line {seen[k]}")
                break
        else:
            seen[key] = seen[who] = line
            entries.append(entry)
    if problems:
        raise StartListError(problems)
    if not entries:
        raise StartListError(["the file holds no " + ("teams" if kind == Race.TEAM_PURSUIT else "skaters")])
    return entries


def _nation(nation):
    if not NATION.match(nation.upper()):
        raise RuleError(f"nation '{nation[:20]}' must be a three-letter IOC code such as NED")
    return nation.upper()


def _name(name, what):
    if not name:
        raise RuleError(f"the {what} is empty")
    if len(name) > 200:
        raise RuleError(f"the {what} is longer than 200 characters")
    return name


def _team(cells):
    pair, lane, team, nation, skaters = cells
    if not (pair.isascii() and pair.isdigit()) or int(pair) < 1:
        raise RuleError(f"heat '{pair[:20]}' (the pair column) must be a number from 1")
    if lane.lower() not in LANES:
        raise RuleError(
            f"lane '{lane[:20]}' must be inner (the team starting on the home straight) "
            "or outer (the back straight)"
        )
    names = team_pursuit.check_team(skaters.split(";"))
    team, nation = _name(team, "team name"), _nation(nation)
    key = ("slot", f"heat {int(pair)} {lane.lower()}")
    entry = Entry(int(pair), lane.lower(), team, nation, team_skaters=tuple(names))
    return entry, key, ("team", f"{team} ({nation})")


def _skater(cells):
    bib, name, nation = cells
    if not (bib.isascii() and bib.isdigit()):
        raise RuleError(f"bib '{bib[:20]}' must be a start number from 1 to 999")
    mass_start.check_bib(int(bib))
    name, nation = _name(name, "name"), _nation(nation)
    return Entry(1, "", name, nation, bib=int(bib)), ("bib", f"bib {int(bib)}"), ("who", f"{name} ({nation})")


def check_kind(kind, distance, entries):
    """What the whole list must satisfy for its kind, before anything is created."""
    if kind == Race.MASS_START:
        if distance != mass_start.DISTANCE:
            raise StartListError([f"a mass start is {mass_start.LAPS} laps, {mass_start.DISTANCE} m; not {distance} m"])
        if any(e.bib is None for e in entries):
            raise StartListError(["every mass-start skater needs a bib"])
        if len(entries) > mass_start.MAX_SKATERS:
            raise StartListError([f"a mass start takes at most {mass_start.MAX_SKATERS} skaters, not {len(entries)}"])
    if kind == Race.TEAM_PURSUIT:
        for e in entries:
            try:
                team_pursuit.check_team(list(e.team_skaters))
            except RuleError as err:
                raise StartListError([f"{e.name}: {err.message}"]) from err
