"""Pages. Each renders a shell; its JavaScript module fills it from the snapshot and the socket."""
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from . import results as result_lists
from . import results_pdf
from .middleware import POLICY
from .models import Classification, Competition, Race

#: The embeddable widget's policy: the site's own, except that any page may frame it.
EMBED_POLICY = POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")


def home(request):
    races = Prefetch("races", queryset=Race.objects.order_by("id"))
    competitions = Competition.objects.order_by("-starts_on", "name").prefetch_related(races)
    return render(request, "timing/home.html", {"competitions": competitions})


def competition(request, competition_id):
    """The day's schedule: races in order, times on the venue's clock, the race on the ice."""
    comp = get_object_or_404(Competition, pk=competition_id)
    zone = comp.zone
    races = [(race, race.scheduled_at.astimezone(zone) if race.scheduled_at else None)
             for race in comp.races.in_schedule_order()]
    return render(request, "timing/competition.html", {"competition": comp, "schedule": races})


def spectator(request, race_id):
    race = get_object_or_404(Race.objects.select_related("competition"), pk=race_id)
    return render(request, "timing/spectator.html", {"race": race})


def board(request, race_id):
    race = get_object_or_404(Race.objects.select_related("competition"), pk=race_id)
    return render(request, "timing/board.html", {"race": race})


def classification(request, classification_id, view="phone"):
    """One page, three screens: a phone, the announcer's desk (the pair up, large) and the venue
    board between races (the table large). Only the layout differs; the data and the code are one."""
    c = get_object_or_404(Classification.objects.select_related("competition"), pk=classification_id)
    return render(request, "timing/classification.html", {"classification": c, "races": c.ordered_races(), "view": view})


@xframe_options_exempt
def embed(request, race_id):
    """The compact live widget other sites may put in an iframe; every other page stays DENY."""
    race = get_object_or_404(Race.objects.select_related("competition"), pk=race_id)
    response = render(request, "timing/embed.html", {"race": race})
    response["Content-Security-Policy"] = EMBED_POLICY
    return response


def classification_pdf(request, classification_id):
    """The classification's result list to print or file (timing/classification_pdf.py)."""
    from . import classification_pdf as pdf, classification_table

    c = get_object_or_404(Classification.objects.select_related("competition"), pk=classification_id)
    data = classification_table.build(c)
    response = HttpResponse(pdf.render(data, c.competition.name), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="classification-{c.id}.pdf"'
    return response


@require_GET
def results(request, race_id):
    race = _race(race_id)
    result = _result_list(race)
    columns = result["points"][:-1] if len(result["points"]) <= results_pdf.SPLIT_COLUMNS_UP_TO else []
    return render(request, "timing/results.html", {
        "race": race, "result": result, "split_columns": columns, "span": 6 + len(columns),
    })


@require_GET
def results_pdf_file(request, race_id):
    """The PDF, built once per race version (about 0.3 s of fpdf2) and then served from the cache."""
    race = _race(race_id)
    result = _result_list(race)
    key = f"oval:results-pdf:{race.id}:{result['version']}"
    data = cache.get(key)
    if data is None:
        data = results_pdf.render(result)
        cache.set(key, data, 600)
    response = HttpResponse(data, content_type="application/pdf")
    name = slugify(f"{race.competition.name} {race.title} results") or "results"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@require_GET
def results_json(request, race_id):
    """What the board shows once a race is closed; errors as JSON, like the rest of the API."""
    race = Race.objects.select_related("competition").filter(pk=race_id).first()
    if race is None:
        return JsonResponse({"error": f"There is no race {race_id}.", "field": None}, status=404)
    try:
        result = result_lists.load(race)
    except result_lists.Unsupported as e:
        return JsonResponse({"error": str(e), "field": None}, status=404)
    response = JsonResponse(result, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return response


def _race(race_id):
    return get_object_or_404(Race.objects.select_related("competition"), pk=race_id)


def _result_list(race):
    try:
        return result_lists.load(race)
    except result_lists.Unsupported as e:
        raise Http404(str(e)) from None
