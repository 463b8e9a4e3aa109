"""JSON views: thin. Parse, call the service layer or the snapshot, answer.

The read side is open by design: anyone may build on the live results (a club's site, a fan's
dashboard, a federation's result pages), so every read answers any origin without credentials
(`Access-Control-Allow-Origin: *`), and is cheap to cache: an ETag that is the version, a `304`
for a matching `If-None-Match`, and a one-second public lifetime a CDN or proxy may serve from.
"""
import functools
import hashlib

from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET

from . import classification_table, schedule
from .messages import dumps
from .models import Competition, Race
from .snapshot import race_text

#: How long a shared cache may serve a read without asking: a live board's resync and socket
#: are the fresh path; this only spares the server a crowd loading the same version at once.
PUBLIC_MAX_AGE = 1


def public_read(view):
    """GET only; any origin may read the answer (no cookies are ever needed or sent)."""

    @require_GET
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def versioned(request, text, etag):
    """The document, or `304` when the client already holds this version."""
    etag = f'"{etag}"'
    unchanged = get_conditional_response(request, etag=etag)
    response = unchanged or HttpResponse(text, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


def missing(message):
    return JsonResponse({"error": message, "field": None}, status=404)


@public_read
def race_list(request):
    races = [
        {"id": r.id, "title": r.title, "distance": r.distance, "category": r.category, "state": r.state,
         "version": r.version, "competition": r.competition.name, "demo": r.demo}
        for r in Race.objects.listed()
    ]
    text = dumps({"races": races})
    return versioned(request, text, "l" + hashlib.sha256(text.encode()).hexdigest()[:16])


@public_read
def race_snapshot(request, race_id):
    version, text = race_text(race_id)
    if version is None:
        return missing(f"There is no race {race_id}.")
    return versioned(request, text, f"{race_id}-{version}")


@public_read
def competition_snapshot(request, competition_id):
    version, text = schedule.text(competition_id)
    if version is None:
        return missing(f"There is no competition {competition_id}.")
    return versioned(request, text, f"c{competition_id}-{version}")


@public_read
def competition_results(request, competition_id):
    """Every race of the competition as its snapshot (standings, splits, statuses), in schedule
    order: a federation's result site takes the whole day in one request. Built from the cached
    snapshots' texts, so it costs no serialization beyond joining them."""
    comp_version, schedule_text = schedule.text(competition_id)
    if comp_version is None:
        return missing(f"There is no competition {competition_id}.")
    ids = list(Competition.objects.get(pk=competition_id).races.in_schedule_order().values_list("id", flat=True))
    races = [race_text(race_id) for race_id in ids]
    tag = hashlib.sha256(repr((comp_version, [v for v, _ in races])).encode()).hexdigest()[:16]
    text = f'{{"schedule":{schedule_text},"races":[{",".join(t for _, t in races if t)}]}}'
    return versioned(request, text, f"cr{competition_id}-{tag}")


@public_read
def classification(request, classification_id):
    """Computed on every read from its races' committed results, so it is never stale; its ETag
    is its version, which grows with every committed change of any of its races."""
    data = classification_table.for_id(classification_id)
    if data is None:
        return missing(f"There is no classification {classification_id}.")
    return versioned(request, dumps(data), f"k{classification_id}-{data['version']}")
