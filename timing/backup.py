"""Backup and restore of one competition: `dump` turns it into plain JSON data, `load` makes it
again, in one transaction, with new ids (manage.py dumpcompetition / loadcompetition).

What a dump holds, and why (docs/deploy.md tells how to move a live event with it):

* Everything that belongs to the competition: its races (with kind, schedule, state, version,
  replay_of), pairs and start signals, starts with statuses, reasons and falls, every passing
  and mass-start crossing with the whole correction and void history, held splits, the audit
  trail in its order, classifications with their ordered races, the named screens, and the
  race on the ice.
* What its pages need from the shared tables: its skaters with their personal bests, and the
  records its races can break (world, Olympic, national, the venue's track records).
* Officials are named, not dumped: an audit row's actor and a passing's `entered_by` are
  usernames. On load a username that has an account here points at it; one that has none gets
  an inactive account with no password and no permission (so the trail still says who), which
  an administrator activates or leaves. Passwords never travel in a file people copy around.
* Not dumped: user accounts, device tokens (a credential does not belong in a backup; issue new
  ones on the new server: the audit trail keeps the devices' names as text), idempotency
  records (answers to past requests, naming old ids and old credentials: a retry of those
  requests after a move must not be answered from them), per-competition access (owners,
  officials), which names accounts.

Ids in the file are references inside the file, nothing more: every row gets a new id here, and
every reference is checked against the dump before anything is written. A reference out of the
competition that is only a pointer (a race replaying a race of another competition, a screen or
the venue following a race elsewhere) is dropped at dump time with a note; anything else out of
place refuses the whole file.
"""
import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models.fields import PositiveIntegerRelDbTypeMixin
from django.db.migrations.loader import MigrationLoader
from django.db.models import Q
from django.utils import timezone

from . import snapshot, topics
from .models import (
    Change, Classification, ClassificationRace, Competition, Crossing, HeldSplit, Pair, Passing, PersonalBest,
    Race, Record, Screen, Skater, Start,
)
from .startlists import Entry, StartListError, skater_for

FORMAT = "oval-competition"
FORMAT_VERSION = 1
APP = "timing"
USERS = "users"  # a reference to an account, by username
COMPETITION = "competition"


class DumpError(Exception):
    """The file cannot be loaded as it is; the message says why and what to do. Nothing was written."""


@dataclass(frozen=True)
class Table:
    key: str
    model: type
    fields: tuple
    refs: dict = field(default_factory=dict)  # field -> the table key it points into
    when: tuple = ()  # the timestamps auto_now_add would overwrite on insert


COMPETITION_FIELDS = ("name", "venue", "starts_on", "ends_on", "time_zone", "olympic", "version")
TIMED = ("time_ms", "invented", "source", "device", "entered_at", "superseded_at", "reason", "voided_at",
         "void_reason")

#: In load order: a table only points into tables above it (or into itself, set afterwards).
TABLES = (
    Table("skaters", Skater, ("name", "nation", "licence", "invented")),
    Table("personal_bests", PersonalBest, ("distance", "pb_ms", "sb_ms"), {"skater": "skaters"}),
    Table("records", Record, ("kind", "category", "distance", "time_ms", "holder", "nation", "venue", "date")),
    Table("races", Race, ("kind", "distance", "category", "title", "scheduled_at", "order", "state",
                          "current_pair", "version", "demo"), {"competition": COMPETITION, "replay_of": "races"}),
    Table("pairs", Pair, ("number", "started_at"), {"race": "races"}),
    Table("starts", Start, ("lane", "bib", "team_skaters", "status", "status_reason", "fell"),
          {"pair": "pairs", "skater": "skaters"}),
    Table("passings", Passing, ("distance",) + TIMED,
          {"start": "starts", "corrects": "passings", "entered_by": USERS}, when=("entered_at",)),
    Table("crossings", Crossing, TIMED, {"start": "starts", "corrects": "crossings", "entered_by": USERS},
          when=("entered_at",)),
    Table("held_splits", HeldSplit, ("time_ms", "device", "received_at", "reason", "fits", "discarded_at",
                                     "discard_reason"), {"start": "starts", "placed": "passings"},
          when=("received_at",)),
    Table("classifications", Classification, ("name", "kind", "version"), {"competition": COMPETITION}),
    Table("classification_races", ClassificationRace, ("order",),
          {"classification": "classifications", "race": "races"}),
    Table("screens", Screen, ("name", "mode", "text", "created_at", "last_seen", "clock_offset_ms"),
          {"competition": COMPETITION, "race": "races", "classification": "classifications"},
          when=("created_at",)),
    Table("changes", Change, ("version", "at", "action", "source", "device", "pair", "lane", "bib", "distance",
                              "old_value", "new_value", "reason"),
          {"race": "races", "competition": COMPETITION, "actor": USERS}, when=("at",)),
)
BY_KEY = {t.key: t for t in TABLES}

#: References that only point (nothing is counted through them): out of the competition, dropped.
SOFT = {("races", "replay_of"), ("screens", "race")}


def latest_schema(loader=None):
    """The name of this code's latest timing migration: what a dump says it was made with."""
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    return max(name for app, name in loader.graph.leaf_nodes() if app == APP)


# --- dump ----------------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _rows(competition):
    """The querysets of every table, in id order (the audit trail's order is its ids')."""
    races = Race.objects.filter(competition=competition)
    in_races = {"start__pair__race__competition": competition}
    skaters = Skater.objects.filter(starts__pair__race__competition=competition).distinct()
    wanted = Q(pk__in=[])
    for category, distance in races.values_list("category", "distance").distinct():
        wanted |= Q(category=category, distance=distance, kind__in=["WR", "NR", "OR"])
    if competition.venue:
        wanted |= Q(kind="TR", venue=competition.venue)
    return {
        "skaters": skaters,
        "personal_bests": PersonalBest.objects.filter(skater__in=skaters),
        "records": Record.objects.filter(wanted),
        "races": races,
        "pairs": Pair.objects.filter(race__competition=competition),
        "starts": Start.objects.filter(pair__race__competition=competition),
        "passings": Passing.objects.filter(**in_races).select_related("entered_by"),
        "crossings": Crossing.objects.filter(**in_races).select_related("entered_by"),
        "held_splits": HeldSplit.objects.filter(**in_races),
        "classifications": Classification.objects.filter(competition=competition),
        "classification_races": ClassificationRace.objects.filter(classification__competition=competition),
        "screens": Screen.objects.filter(competition=competition),
        "changes": Change.objects.filter(Q(race__competition=competition) | Q(competition=competition))
        .select_related("actor"),
    }


def dump(competition_id):
    """The competition as JSON-able data (see the module docstring)."""
    notes = []
    outermost = not connection.in_atomic_block  # else the isolation level is the caller's to choose
    with transaction.atomic():  # one consistent reading, even while the event goes on
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:  # every query below sees the same moment
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        competition = Competition.objects.filter(pk=competition_id).first()
        if competition is None:
            raise DumpError(f"There is no competition {competition_id}.")
        rows = {key: list(qs.order_by("id")) for key, qs in _rows(competition).items()}
    ids = {key: {obj.pk for obj in objs} for key, objs in rows.items()}
    ids[COMPETITION] = {competition.pk}
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": latest_schema(),
        "dumped_at": timezone.now().isoformat(),
        "source": {"competition_id": competition.pk, "dump_id": str(uuid.uuid4())},
        "notes": notes,
        COMPETITION: {
            "id": competition.pk,
            **{name: _plain(getattr(competition, name)) for name in COMPETITION_FIELDS},
            "on_ice": competition.on_ice_id if competition.on_ice_id in ids["races"] else None,
        },
    }
    if competition.on_ice_id and competition.on_ice_id not in ids["races"]:
        notes.append(f"The venue followed race {competition.on_ice_id} of another competition; not kept.")
    for table in TABLES:
        out = data[table.key] = []
        for obj in rows[table.key]:
            row = {"id": obj.pk, **{name: _plain(getattr(obj, name)) for name in table.fields}}
            for name, target in table.refs.items():
                if target == USERS:
                    user = getattr(obj, name)
                    row[name] = user.get_username() if user is not None else None
                    continue
                ref = getattr(obj, name + "_id")
                if ref is not None and ref not in ids[target]:
                    if (table.key, name) not in SOFT:
                        raise DumpError(f"{table.key} {obj.pk}: its {name} {ref} is outside competition "
                                        f"{competition.pk}; the database needs a look before it can be dumped.")
                    notes.append(f"{table.key} {obj.pk}: its {name} was race {ref} of another competition; not kept.")
                    ref = None
                row[name] = ref
            out.append(row)
    return data


def text(data):
    """The dump as JSON text with one row to a line: small, and readable in a diff or an editor."""
    parts = []
    for key, value in data.items():
        if key in BY_KEY and value:
            rows = ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in value)
            parts.append(f" {json.dumps(key)}: [\n{rows}\n ]")
        else:
            parts.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


# --- load: check everything, then write everything in one transaction ---------------------------


def _where(key, index, row):
    ident = row.get("id") if isinstance(row, dict) else None
    return f"{key} row {index + 1}" + (f" (id {ident})" if ident is not None else "")


def _check_value(where, name, model_field, value):
    """The value as the model stores it, or a DumpError naming the row and the field."""
    if value is None:
        if model_field.null:
            return None
        raise DumpError(f"{where}: '{name}' is null but must have a value.")
    if isinstance(model_field, models.DateTimeField):
        moment = _parse(where, name, value, dt.datetime.fromisoformat,
                        "a date and time such as 2026-02-09T16:30:00+00:00")
        if moment.tzinfo is None:
            raise DumpError(f"{where}: '{name}' {value!r} has no time zone; add one, such as +00:00.")
        return moment
    if isinstance(model_field, models.DateField):
        return _parse(where, name, value, dt.date.fromisoformat, "a date such as 2026-02-09")
    if isinstance(model_field, models.BooleanField):
        if not isinstance(value, bool):
            raise DumpError(f"{where}: '{name}' must be true or false, not {value!r}.")
        return value
    if isinstance(model_field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            raise DumpError(f"{where}: '{name}' must be a whole number, not {value!r}.")
        if isinstance(model_field, PositiveIntegerRelDbTypeMixin) and value < 0:
            raise DumpError(f"{where}: '{name}' must not be negative, not {value}.")
        return value
    if isinstance(model_field, models.CharField):
        if not isinstance(value, str):
            raise DumpError(f"{where}: '{name}' must be text, not {value!r}.")
        if len(value) > model_field.max_length:
            raise DumpError(f"{where}: '{name}' is longer than {model_field.max_length} characters.")
        choices = [c for c, _ in model_field.flatchoices]
        if choices and value not in choices and not (model_field.blank and value == ""):
            raise DumpError(f"{where}: '{name}' is {value[:40]!r}; it must be one of {', '.join(choices)}.")
        return value
    if isinstance(model_field, models.JSONField):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DumpError(f"{where}: '{name}' must be a list of names, not {value!r}.")
        return value
    raise DumpError(f"{where}: '{name}' cannot be loaded by this version of Oval.")  # a field added without care


def _parse(where, name, value, parse, example):
    if not isinstance(value, str):
        raise DumpError(f"{where}: '{name}' must be {example}, not {value!r}.")
    try:
        return parse(value)
    except ValueError:
        raise DumpError(f"{where}: '{name}' {value[:40]!r} is not {example}.") from None


def _check_row(where, row, model, names, refs):
    if not isinstance(row, dict):
        raise DumpError(f"{where}: must be an object with fields, not {type(row).__name__}.")
    expected = {"id", *names, *refs}
    unknown, missing = sorted(set(row) - expected), sorted(expected - set(row))
    if unknown:
        raise DumpError(f"{where}: unknown field(s) {', '.join(unknown)}; this Oval does not know what they mean.")
    if missing:
        raise DumpError(f"{where}: missing field(s) {', '.join(missing)}.")
    if isinstance(row["id"], bool) or not isinstance(row["id"], int):
        raise DumpError(f"{where}: 'id' must be a whole number, not {row['id']!r}.")
    return {name: _check_value(where, name, model._meta.get_field(name), row[name]) for name in names}


def _check_header(data):
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DumpError("This is not an Oval competition dump (it has no \"format\": \"oval-competition\"); "
                        "make one with manage.py dumpcompetition.")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise DumpError(f"This dump was made by a newer Oval (format {version}); upgrade this server first.")
        raise DumpError(f"This dump's format_version is {version!r}; this Oval reads version {FORMAT_VERSION}.")
    schema = data.get("schema")
    loader = MigrationExecutor(connection).loader  # what this code knows, and what this database has
    if not isinstance(schema, str) or (APP, schema) not in loader.disk_migrations:
        raise DumpError(f"This dump was made by a newer Oval (schema {str(schema)[:60]}); this server knows schemas "
                        f"up to {latest_schema(loader)}: upgrade this server first.")
    if set(loader.graph.leaf_nodes()) - loader.applied_migrations.keys():
        raise DumpError("This database is not up to date: run manage.py migrate first, then load the dump.")
    source = data.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("dump_id"), str):
        raise DumpError("This dump has no source.dump_id; it was not made by manage.py dumpcompetition.")
    try:
        dump_id = uuid.UUID(source["dump_id"])
    except ValueError:
        raise DumpError(f"source.dump_id {source['dump_id'][:40]!r} is not a dump id (a UUID).") from None
    unknown = sorted(set(data) - {"format", "format_version", "schema", "dumped_at", "source", "notes",
                                  COMPETITION, *BY_KEY})
    if unknown:
        raise DumpError(f"This dump has unknown part(s) {', '.join(unknown)}; this Oval does not know what they mean.")
    notes = data.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise DumpError("This dump's 'notes' must be a list of sentences.")
    for key in (COMPETITION, *BY_KEY):
        if key not in data:
            raise DumpError(f"This dump has no '{key}'; was it cut short or edited?")
        if key != COMPETITION and not isinstance(data[key], list):
            raise DumpError(f"This dump's '{key}' must be a list of rows.")
    return dump_id


@dataclass
class Report:
    competition: Competition = None
    was: int = None
    counts: dict = field(default_factory=dict)
    corrected: int = 0
    voided: int = 0
    skaters_reused: int = 0
    records_added: int = 0
    users_created: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def text(self):
        n = self.counts

        def many(count, one, more=None):
            return f"{count} {one if count == 1 else (more or one + 's')}"

        parts = [many(n["races"], "race"), many(n["pairs"], "pair"),
                 f"{many(n['passings'], 'passing')} ({self.corrected} corrected, {self.voided} voided)"]
        if n["crossings"]:
            parts.append(many(n["crossings"], "crossing"))
        if n["held_splits"]:
            parts.append(many(n["held_splits"], "held split"))
        parts.append(many(n["changes"], "audit row"))
        parts.append(many(n["classifications"], "classification"))
        if n["screens"]:
            parts.append(many(n["screens"], "screen"))
        lines = [f"Loaded competition '{self.competition.name}' as id {self.competition.pk} (was {self.was}): "
                 f"{', '.join(parts)}. New ids were given to every row."]
        lines.append(f"Skaters: {n['skaters'] - self.skaters_reused} new, {self.skaters_reused} already here "
                     f"(same licence, or same name and nation). Records: {self.records_added} added.")
        if self.users_created:
            lines.append(f"Officials named in the audit trail with no account here: {', '.join(self.users_created)}; "
                         "created as inactive accounts with no password or permission.")
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines)


def load(data, name=None):
    """Make the competition in `data` again, in one transaction: a Report, or a DumpError and nothing written."""
    dump_id = _check_header(data)
    checked = _check_all(data)
    comp_row = checked[COMPETITION][0][1]
    if name is not None:
        comp_row["name"] = _check_value("--name", "name", Competition._meta.get_field("name"), name.strip() or None)
    earlier = Competition.objects.filter(restored_from=dump_id).first()
    if earlier is not None:
        raise DumpError(f"This dump (dump id {dump_id}) was already loaded as competition '{earlier.name}' "
                        f"(id {earlier.pk}); loading it again would make a duplicate. Nothing was loaded.")
    clash = Competition.objects.filter(name=comp_row["name"]).first()
    if clash is not None:
        raise DumpError(f"There is already a competition named '{clash.name}' (id {clash.pk}) here. "
                        f"To load this one beside it, give it another name: --name '{clash.name} (restored)'.")
    try:
        with transaction.atomic():
            report = _write(data, checked, dump_id)
    except (IntegrityError, DatabaseError) as e:
        raise DumpError(f"The dump contradicts itself or this database ({str(e).strip().splitlines()[0][:200]}); "
                        "nothing was loaded.") from e
    return report


def _check_all(data):
    """{table: [(ref, values, refs)]} with every value typed and every reference inside the dump."""
    comp = data[COMPETITION]
    where = "competition"
    values = _check_row(where, comp, Competition, COMPETITION_FIELDS, ("on_ice",))
    checked = {COMPETITION: [(comp["id"], values, {"on_ice": comp["on_ice"]})]}
    refs_of = {COMPETITION: {comp["id"]}}
    for table in TABLES:
        rows, seen = [], set()
        for i, row in enumerate(data[table.key]):
            where = _where(table.key, i, row)
            values = _check_row(where, row, table.model, table.fields, table.refs)
            if row["id"] in seen:
                raise DumpError(f"{where}: id {row['id']} is used twice in {table.key}.")
            seen.add(row["id"])
            rows.append((row["id"], values, {name: row[name] for name in table.refs}))
        refs_of[table.key] = seen
        checked[table.key] = rows
    on_ice = comp["on_ice"]
    if on_ice is not None and (isinstance(on_ice, bool) or on_ice not in refs_of["races"]):
        raise DumpError(f"competition: 'on_ice' names race {on_ice!r}, which is not in this dump.")
    for table in TABLES:
        for i, (ref, _, refs) in enumerate(checked[table.key]):
            where = f"{table.key} row {i + 1} (id {ref})"
            for name, value in refs.items():
                if table.refs[name] == USERS:
                    if value is not None and not (isinstance(value, str) and 0 < len(value) <= 150):
                        raise DumpError(f"{where}: '{name}' must be a username or null, not {value!r}.")
                    continue
                if value is None and table.model._meta.get_field(name).null:
                    continue
                if isinstance(value, bool) or value not in refs_of[table.refs[name]]:
                    raise DumpError(f"{where}: its {name} {value!r} is not a {table.refs[name].rstrip('s')} "
                                    f"in this dump; nothing was loaded.")
    return checked


def _write(data, checked, dump_id):
    made = {}  # table -> {ref: new object}
    _, comp_values, comp_refs = checked[COMPETITION][0]
    competition = Competition.objects.create(**comp_values, restored_from=dump_id)
    made[COMPETITION] = {checked[COMPETITION][0][0]: competition}
    report = Report(competition=competition, was=checked[COMPETITION][0][0], notes=list(data.get("notes") or []))
    users = _users(checked, report)

    newest = Skater.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    made["skaters"] = {}
    for ref, values, _ in checked["skaters"]:
        try:  # the same person as the start lists' import finds her: by licence, else name and nation
            skater = skater_for(Entry(0, "", values["name"], values["nation"], invented=values["invented"],
                                      licence=values["licence"]))
        except StartListError as e:
            raise DumpError(f"skaters row (id {ref}): {e.problems[0].message}") from None
        made["skaters"][ref] = skater
        report.skaters_reused += skater.pk <= newest
    held = set(PersonalBest.objects.filter(skater__in=list(made["skaters"].values()))
               .values_list("skater_id", "distance"))
    for ref, values, refs in checked["personal_bests"]:
        skater = made["skaters"][refs["skater"]]
        if (skater.pk, values["distance"]) not in held:  # a skater already here keeps her bests as they are
            PersonalBest.objects.create(skater=skater, **values)
            held.add((skater.pk, values["distance"]))
    for ref, values, _ in checked["records"]:
        _, created = Record.objects.get_or_create(**values)
        report.records_added += created

    for table in TABLES[3:]:
        made[table.key] = _insert(table, checked[table.key], made, users, competition)
    if comp_refs["on_ice"] is not None:
        Competition.objects.filter(pk=competition.pk).update(on_ice=made["races"][comp_refs["on_ice"]])
    competition.refresh_from_db()

    report.counts = {key: len(checked[key]) for key in BY_KEY}
    passings = [values for _, values, _ in checked["passings"]]
    report.corrected = sum(v["superseded_at"] is not None for v in passings)
    report.voided = sum(v["voided_at"] is not None for v in passings)
    _forget_cached(competition, made["races"].values())
    return report


def _users(checked, report):
    """username -> account, creating inactive, password-less accounts for names unknown here."""
    names = {refs[name] for table in TABLES for _, _, refs in checked[table.key]
             for name, target in table.refs.items() if target == USERS and refs[name] is not None}
    User = get_user_model()
    found = {u.get_username(): u for u in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": names})}
    for name in sorted(names - set(found)):
        user = User(**{User.USERNAME_FIELD: name}, is_active=False)
        user.set_unusable_password()
        user.save()
        found[name] = user
        report.users_created.append(name)
    return found


def _insert(table, rows, made, users, competition):
    """Insert one table's rows in the dump's order; self-references and the timestamps that
    auto_now_add would overwrite are set in a second pass."""
    objs = []
    later = [name for name, target in table.refs.items() if target == table.key]
    for _, values, refs in rows:
        obj = table.model(**values)
        for name, target in table.refs.items():
            value = refs[name]
            if target == USERS:
                setattr(obj, name, users[value] if value is not None else None)
            elif target == COMPETITION:
                setattr(obj, name, competition if value is not None else None)
            elif target != table.key:
                setattr(obj, name, made[target][value] if value is not None else None)
        objs.append(obj)
    objs = table.model.objects.bulk_create(objs, batch_size=500)
    by_ref = {ref: obj for (ref, _, _), obj in zip(rows, objs)}
    for (_, values, refs), obj in zip(rows, objs):
        for name in later:
            setattr(obj, name, by_ref[refs[name]] if refs[name] is not None else None)
        for name in table.when:
            setattr(obj, name, values[name])
    _set(table.model, objs, later + list(table.when))
    return by_ref


def _set(model, objs, names):
    """Write the named fields of rows just inserted: one prepared UPDATE run for every row
    (bulk_update's CASE expressions cost a millisecond a row to build, this a few microseconds)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in names:
            f = model._meta.get_field(name)
            rows = [(f.get_db_prep_save(getattr(o, f.attname), connection), o.pk) for o in objs]
            rows = [r for r in rows if r[0] is not None]
            if rows:
                cursor.executemany(f"UPDATE {quote(model._meta.db_table)} SET {quote(f.column)} = %s "
                                   f"WHERE {quote(model._meta.pk.column)} = %s", rows)


def _forget_cached(competition, races):
    """A restored race or schedule takes a new id at the version it had: should an old snapshot
    be cached under that (id, version) (an id SQLite reused, a cache shared by processes), drop it
    once the load commits, so the first reader builds the snapshot from the restored rows."""
    keys = [snapshot.cache_key(topics.COMPETITION, competition.pk, competition.version)]
    keys += [snapshot.cache_key(topics.RACE, r.pk, r.version) for r in races]
    transaction.on_commit(lambda: cache.delete_many(keys))
