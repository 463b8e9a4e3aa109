"""Creating and editing classifications: a competition-level change, so both go through the
service layer's `_write_competition` (lock the competition, validate, write, bump, audit, push).
"""
from . import classification_table
from .models import Classification, ClassificationRace, Race
from .rules.classification import KINDS, check_distances
from .services import Conflict, Invalid, NotFound, _rules, _write_competition


def _name(name):
    if not isinstance(name, str) or not name.strip():
        raise Invalid("Give the classification a name, such as 'Allround women'.", "name")
    if len(name.strip()) > 200:
        raise Invalid("Keep the name under 200 characters.", "name")
    return name.strip()


def _races(competition, kind, race_ids):
    """The races in the order given, checked against the competition and the kind."""
    if kind not in KINDS:
        raise Invalid(f"'{str(kind)[:40]}' is not a kind of classification; use allround, sprint or custom.", "kind")
    if not isinstance(race_ids, list) or not race_ids:
        raise Invalid("'races' must be a list of race ids in skating order, such as [12, 13, 14, 15].", "races")
    if any(isinstance(r, bool) or not isinstance(r, int) for r in race_ids):
        raise Invalid("Every race in 'races' must be a race id (a whole number).", "races")
    seen = set()
    for r in race_ids:
        if r in seen:
            raise Invalid(f"Race {r} is listed twice; a classification counts each race once.", "races")
        seen.add(r)
    found = {r.id: r for r in Race.objects.filter(pk__in=race_ids)}
    for r in race_ids:
        if r not in found:
            raise Invalid(f"There is no race {r}.", "races")
        if found[r].competition_id != competition.id:
            raise Invalid(
                f"Race {r} ({found[r].title}) belongs to another competition, not {competition.name}.", "races"
            )
        if found[r].kind != Race.INDIVIDUAL:
            raise Invalid(f"Race {r} ({found[r].title}) is not an individual distance; points need one time each.", "races")
    races = [found[r] for r in race_ids]
    _rules(check_distances, kind, [r.distance for r in races])
    return races


def _store(classification, races):
    classification.entries.all().delete()
    ClassificationRace.objects.bulk_create(
        ClassificationRace(classification=classification, race=r, order=n) for n, r in enumerate(races, 1)
    )


def _shown(name, kind, races):
    return f"{name} ({kind}: {', '.join(str(r.id) for r in races)})"[:200]


def create_classification(competition_id, name, kind, race_ids, actor):
    def change(competition):
        why = _name(name)
        races = _races(competition, kind, race_ids)
        c = Classification.objects.create(competition=competition, name=why, kind=kind)
        _store(c, races)
        return c, {"new_value": _shown(why, kind, races)}

    return _write_competition(competition_id, "classification", actor, change)


def _competition_of(classification_id):
    if isinstance(classification_id, bool) or not isinstance(classification_id, int):
        raise Invalid("The classification id must be a number.", "classification")
    competition_id = Classification.objects.filter(pk=classification_id).values_list("competition_id", flat=True).first()
    if competition_id is None:
        raise NotFound(f"There is no classification {classification_id}.", "classification")
    return competition_id


def _unsettled(classification_id, doing):
    """The classification, locked, while none of its races is final: once one is, the table is a
    result that people have read and printed, and it can no longer be redefined or removed (409)."""
    c = Classification.objects.select_for_update().filter(pk=classification_id).first()
    if c is None:  # deleted between the lookup and the lock
        raise NotFound(f"There is no classification {classification_id}.", "classification")
    final = [r for r in c.ordered_races() if r.state == Race.FINAL]
    if final:
        raise Conflict(f"{final[0].title} is final, so {c.name} can no longer be {doing}.", "races")
    return c


def edit_classification(classification_id, name, kind, race_ids, actor):
    """Change the name, kind or races (409 once one of its races is final)."""
    competition_id = _competition_of(classification_id)

    def change(competition):
        c = _unsettled(classification_id, "changed")
        why = _name(name)
        races = _races(competition, kind, race_ids)
        before = c.ordered_races()
        old = _shown(c.name, c.kind, before)
        # The table's version is the classification's plus its races'; with other races that sum
        # may drop, so the classification's own part makes up for it: the table's version still grows.
        table_before = c.version + sum(r.version for r in before)
        c.name, c.kind = why, kind
        c.version = max(0, table_before + 1 - sum(r.version for r in races))
        c.save(update_fields=["name", "kind", "version"])
        _store(c, races)
        classification_table.push_on_commit(c, competition.version + 1)
        return c, {"old_value": old, "new_value": _shown(why, kind, races)}

    return _write_competition(competition_id, "classification", actor, change)


def delete_classification(classification_id, actor):
    """Remove a classification set up by mistake (409 once one of its races is final). Its
    races and their results stay; only the choice of races goes. The schedule push that every
    competition change sends tells the venue's screens, whose view then no longer names it."""
    competition_id = _competition_of(classification_id)

    def change(competition):
        c = _unsettled(classification_id, "deleted")
        old = _shown(c.name, c.kind, c.ordered_races())
        c.delete()
        return c, {"old_value": old, "new_value": ""}

    return _write_competition(competition_id, "classification", actor, change)
