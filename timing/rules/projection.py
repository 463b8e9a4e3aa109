"""The projected finish of a skater still racing: what she finishes in if the rest of her race
goes as the rest of theirs went for the skaters who have finished.

Method (chosen by measuring it on the recorded races: docs/projection.md, bench/projection.py):

* Her last passing is at point p, in t(p). Every skater who has finished the race and has a time
  at p is a reference; reference r finished in F(r) and passed p in T(r, p). Each reference says
  she will finish in t(p) x F(r) / T(r, p): the same share of the race still to come.
* The projection is the median of what the references say (the lower median of an even count):
  one reference who faded or flew in her last lap does not move it, as it would move a mean or a
  projection on the leader alone.
* With no reference at p (the first pair, or a point nobody else has a time at), an even pace:
  F = t(p) x (distance + a) / (p + a), where a = 50 m at the opening point (the standing start
  makes the opener slow) and 0 after a full lap (the start is paid back by a slower last lap).
  Both were fitted on the shipped race: see docs/projection.md for how well they hold.
* Only a skater who can still finish is projected: status OK, at least one split, no finish.
  DNS, DNF and DQ have no projection.
* The projected rank is the place her projected time would take among the finishes so far
  (shared ranks as in the standings: equal to a finish is that finish's rank).
* Integer milliseconds throughout, truncated: the same inputs give the same projection on every
  machine, whatever order they arrived in.
"""
from bisect import bisect_left

#: The standing start, in metres of even pace, at the opening point (at or before the first lap).
START_M = 50
LAP_M = 400


def reference_finish(distance, at_point_ms, point, reference):
    """What one finished skater's race says about a skater at `point` in `at_point_ms`."""
    return at_point_ms * reference[distance] // reference[point]


def project(distance, times, references):
    """Projected finish in ms for a skater with `times` ({point: ms}, no finish yet), or None.

    `references` are the {point: ms} times of skaters who finished (each holds `distance`).
    """
    if not times or distance in times:
        return None
    point = max(times)
    at = times[point]
    said = sorted(
        reference_finish(distance, at, point, r) for r in references if point in r and distance in r and r[point] > 0
    )
    if said:
        return said[(len(said) - 1) // 2]
    allowance = START_M if point <= LAP_M else 0
    return at * (distance + allowance) // (point + allowance)


def projected_rank(ms, finishes):
    """The rank `ms` would take among the sorted finish times `finishes`."""
    return 1 + bisect_left(finishes, ms)
