"""The officials' pages: login, the race list, the console and the audit trail.

The console page is a shell: static/oval/console/main.js fills it from the snapshot and the
race's socket, and writes through the JSON API (timing/api_write.py) like any device would, so
there is one write path to secure and test. The audit trail's rows are formatted once
(timing/audit.py) and rendered once (templates/officials/_changes.html), for the page and for the
console's panel alike.
"""
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from . import access, audit as trail

from .apiauth import PERMISSION
from .brakes import login_brake
from .models import Classification, Competition, Race

#: Changes in the console's panel, and on one page of the audit trail.
PANEL_ROWS = 30
AUDIT_PAGE = 50


@method_decorator(login_brake, name="dispatch")
class LoginView(auth_views.LoginView):
    """Django's login behind the login brake (timing/brakes.py), which the admin's login shares."""

    template_name = "registration/login.html"
    next_page = reverse_lazy("officials")


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("login")


def official_only(view):
    """Anonymous visitors go to the login page; logged-in non-officials get 403, and so does an
    official on a page of a competition she is not assigned to (timing/access.py), with the reason."""

    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied("Only officials can open the console.")
        reason = access.user_refusal(request.user, access.target_competition(kwargs))
        if reason:
            return render(request, "officials/forbidden.html", {"reason": reason}, status=403)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


def _race(race_id):
    return get_object_or_404(Race.objects.select_related("competition"), pk=race_id)


def change_json(c):
    return {
        "version": c.version, "at": c.at.isoformat(), "action": c.action, "who": c.who, "source": c.source,
        "device": c.device, "pair": c.pair, "lane": c.lane, "distance": c.distance,
        "old_value": c.old_value, "new_value": c.new_value, "reason": c.reason,
    }


def _rows(race, changes):
    zone = race.competition.zone
    teams = trail.teams_of(race)
    return [trail.row(c, zone, teams) for c in changes]


def _trail_context(race):
    zone = race.competition.zone
    return {"race": race, "zone": trail.zone_label(zone, timezone.now())}


def next_race(race):
    """The race after this one in the competition's schedule, or None after the last."""
    schedule = list(Race.objects.filter(competition=race.competition_id).in_schedule_order())
    ids = [r.id for r in schedule]
    return schedule[ids.index(race.id) + 1] if race.id in ids and ids.index(race.id) + 1 < len(ids) else None


@official_only
def races(request):
    mine = access.competitions_of(request.user)
    return render(request, "officials/races.html", {
        "races": Race.objects.listed().filter(competition__in=mine), "competitions": mine.order_by("-starts_on", "name"),
    })


@official_only
def console(request, race_id):
    race = _race(race_id)
    return render(request, "officials/console.html", {
        **_trail_context(race), "rows": _rows(race, trail.changes_of(race)[:PANEL_ROWS]), "next_race": next_race(race),
    })


def _pair_filter(request, race):
    """?pair=N, from the pairs the race has; anything else shows every pair."""
    value = request.GET.get("pair", "")
    return int(value) if value.isdigit() and race.pairs.filter(number=int(value)).exists() else None


@official_only
def audit(request, race_id):
    race = _race(race_id)
    pair = _pair_filter(request, race)
    page = Paginator(trail.changes_of(race, pair), AUDIT_PAGE).get_page(request.GET.get("page"))
    return render(request, "officials/audit.html", {
        **_trail_context(race), "page": page, "rows": _rows(race, page.object_list), "pair": pair,
        "pairs": race.pairs.order_by("number").values_list("number", flat=True),
    })


@official_only
def audit_json(request, race_id):
    """The newest changes for the console's audit panel, refreshed when the race version moves.
    `html` is the panel's rows as _changes.html renders them: rows are formatted in one place."""
    race = _race(race_id)
    changes = list(trail.changes_of(race)[:PANEL_ROWS])
    html = render_to_string("officials/_changes.html", {"rows": _rows(race, changes), "body_only": True})
    return JsonResponse({"version": race.version, "changes": [change_json(c) for c in changes], "html": html})


@official_only
def screens(request, competition_id):
    """The venue's screens: a shell that static/oval/screens-admin.js fills from the screens API."""
    comp = get_object_or_404(Competition, pk=competition_id)
    return render(request, "officials/screens.html", {"competition": comp})


#: Race slots on the classification form: a sprint or an allround has four, a custom one up to this.
CLASSIFICATION_SLOTS = 8


@official_only
def classifications(request, competition_id):
    """A competition's classifications, and the form that creates one, or (?edit=<id>) changes or
    deletes one, through the service layer: the same checks, 409 and audit as the API's
    (POST /api/competitions/<id>/classifications, /api/classifications/<id>/edit and …/delete)."""
    from .classifications import create_classification, delete_classification, edit_classification
    from .services import Actor, ServiceError

    comp = get_object_or_404(Competition, pk=competition_id)
    editing = _editing(comp, request.POST.get("classification") or request.GET.get("edit"))
    error, status = None, 200
    if editing is not None:
        values = {"name": editing.name, "kind": editing.kind,
                  "races": [str(r.id) for r in editing.ordered_races()]}
        values["races"] += [""] * (CLASSIFICATION_SLOTS - len(values["races"]))
    else:
        values = {"name": "", "kind": "allround", "races": [""] * CLASSIFICATION_SLOTS}
    if request.method == "POST":
        actor = Actor.official(request.user)
        picked = [request.POST.get(f"race_{n}", "") for n in range(1, CLASSIFICATION_SLOTS + 1)]
        ids = [int(r) for r in picked if r.isascii() and r.isdigit()]
        try:
            if editing is not None and request.POST.get("action") == "delete":
                delete_classification(editing.id, actor)
                return redirect("officials-classifications", comp.id)
            values = {"name": request.POST.get("name", ""), "kind": request.POST.get("kind", ""), "races": picked}
            if editing is not None:
                c = edit_classification(editing.id, values["name"], values["kind"], ids, actor)
            else:
                c = create_classification(comp.id, values["name"], values["kind"], ids, actor)
            return redirect("classification", c.id)
        except ServiceError as e:
            error, status = e.message, e.status
    context = {
        "competition": comp, "error": error, "values": values, "kinds": Classification.KINDS, "editing": editing,
        "locked": editing and next((r.title for r in editing.ordered_races() if r.state == Race.FINAL), None),
        "races": comp.races.in_schedule_order(), "slots": list(zip(range(1, CLASSIFICATION_SLOTS + 1), values["races"])),
        "classifications": comp.classifications.order_by("id"),
    }
    return render(request, "officials/classifications.html", context, status=status)


def _editing(comp, wanted):
    """The classification of `comp` named by ?edit= or the form's hidden field, if any."""
    if not wanted:
        return None
    if not (wanted.isascii() and wanted.isdigit()):
        raise Http404("There is no such classification.")
    return get_object_or_404(Classification, pk=int(wanted), competition=comp)
