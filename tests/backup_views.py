"""What people see of a competition, with the ids (which a restore renews) taken out: the race
snapshots, the schedule, the result lists, the audit rows and the classification tables. Imported
by tests/test_backup.py in-process and by `manage.py shell` against another database, so both
sides are read by the same code."""
import json

#: Keys whose values, when numbers, are ids of rows (a restore gives new ones); their targets are compared
#: through the dump itself (tests/test_backup.py canonical()).
ID_KEYS = {"id", "replay_of", "on_ice", "race", "next", "last", "competition", "classification", "races"}


def _is_ids(value):
    return value is None or isinstance(value, int) or (
        isinstance(value, list) and value and all(isinstance(v, int) for v in value))


def strip_ids(value):
    if isinstance(value, dict):
        return {k: strip_ids(v) for k, v in value.items() if not (k in ID_KEYS and _is_ids(v))}
    if isinstance(value, list):
        return [strip_ids(v) for v in value]
    return value


def _change(c):
    return {
        "version": c.version, "at": c.at.isoformat(), "action": c.action, "source": c.source, "who": c.who,
        "actor": c.actor.get_username() if c.actor_id else None, "device": c.device, "pair": c.pair,
        "lane": c.lane, "bib": c.bib, "distance": c.distance, "old_value": c.old_value,
        "new_value": c.new_value, "reason": c.reason, "of_race": c.race_id is not None,
    }


def views(competition_id):
    from timing import classification_table, results, schedule, snapshot
    from timing.models import Change, Competition, Q

    comp = Competition.objects.get(pk=competition_id)
    races = []
    for race in comp.races.select_related("competition").order_by("id"):
        snap = snapshot.build(race)
        races.append({
            "snapshot": strip_ids(snap),
            "served": strip_ids(json.loads(snapshot.race_text(race.id)[1])),  # through the cache
            "results": strip_ids(results.build(race, snap)),
        })
    trail = Change.objects.filter(Q(race__competition=comp) | Q(competition=comp)).select_related("actor")
    return {
        "schedule": strip_ids(schedule.build(comp)),
        "served_schedule": strip_ids(json.loads(schedule.text(comp.id)[1])),
        "races": races,
        "audit": [_change(c) for c in trail.order_by("id")],
        "classifications": [strip_ids(classification_table.build(c)) for c in comp.classifications.order_by("id")],
    }


def main(competition_id):
    print(json.dumps(views(competition_id), sort_keys=True))
