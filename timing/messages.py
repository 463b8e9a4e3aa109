"""The messages a screen receives, built once inside the writer's transaction and sent as text.

Every message carries the topic's version (screens apply them in order and resync on a gap) and
`server_time` (screens keep their clocks in step with it).
"""
import json
import time


def now_ms():
    return int(time.time() * 1000)


def dumps(data):
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _change(audit):
    return {k: v for k, v in audit.items() if v not in ("", None)}


def race_update(action, before, after, audit):
    """One race update: the change, the race, the pairs whose board moved, the standings if they moved."""
    old_pairs = {p["number"]: p for p in before["pairs"]}
    changed = [p for p in after["pairs"] if old_pairs.get(p["number"]) != p]
    message = {
        "type": action,
        "version": after["version"],
        "server_time": now_ms(),
        "change": _change(audit),
        "race": after["race"],
        "pairs": changed,
    }
    if [p["number"] for p in before["pairs"]] != [p["number"] for p in after["pairs"]]:
        # A start list edit added or removed a pair: the screens take the whole list.
        message["pairs"], message["all_pairs"] = after["pairs"], True
    if before["standings"] != after["standings"]:
        message["standings"] = after["standings"]
    # A mass start's own parts (skaters, sprints, running order...) travel whole when they moved.
    for key in sorted(after.keys() - {"version", "race", "pairs", "standings"}):
        if before.get(key) != after[key]:
            message[key] = after[key]
    return after["version"], dumps(message)


def schedule_update(action, after, audit):
    """One schedule update: small enough (a day's races) to carry the whole schedule every time."""
    return after["version"], dumps({"type": action, "server_time": now_ms(), "change": _change(audit), **after})


def snapshot_frame(text):
    """The websocket snapshot: the cached snapshot text with the type and this moment's clock."""
    return f'{{"type":"snapshot","server_time":{now_ms()},{text[1:]}'


def heartbeat():
    return dumps({"type": "heartbeat", "server_time": now_ms()})


def database_notice(available):
    """Told to every screen when the database goes away or comes back: screens keep their picture."""
    return dumps({"type": "database", "available": available, "server_time": now_ms()})
