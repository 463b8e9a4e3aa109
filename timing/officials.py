"""The officials' pages: login, the race list, the console and the audit trail.

The console page is a shell: static/oval/console.js fills it from the snapshot and the race's
socket, and writes through the JSON API (timing/api_write.py) like any device would, so there
is one write path to secure and test.
"""
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from .apiauth import PERMISSION
from .models import Change, Race

#: Failed logins allowed per username and address within WINDOW seconds.
MAX_FAILURES = 5
WINDOW = 5 * 60


def _login_key(request):
    username = request.POST.get("username", "")[:150].strip().lower()
    # REMOTE_ADDR, not X-Forwarded-For: a client sets that header to whatever it likes.
    return f"oval:login-failures:{request.META.get('REMOTE_ADDR', '')}:{username}"


class LoginView(auth_views.LoginView):
    """Django's login, refusing a username and address pair after MAX_FAILURES failures until
    the window has passed. Counted in the cache: per process, which is the point of a brake."""

    template_name = "registration/login.html"
    next_page = reverse_lazy("officials")

    def post(self, request, *args, **kwargs):
        if cache.get(_login_key(request), 0) >= MAX_FAILURES:
            response = self.render_to_response(self.get_context_data(
                form=self.get_form(),
                locked=f"Too many failed logins for this name from your address. Wait {WINDOW // 60} minutes "
                "and try again, or ask the chief official to check the account.",
            ), status=429)
            response["Retry-After"] = str(WINDOW)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        key = _login_key(self.request)
        cache.add(key, 0, WINDOW)  # the window starts at the first failure
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW)
        return super().form_invalid(form)

    def form_valid(self, form):
        cache.delete(_login_key(self.request))
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("login")


def official_only(view):
    """Anonymous visitors go to the login page; logged-in non-officials get 403."""

    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied("Only officials can open the console.")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


def _race(race_id):
    return get_object_or_404(Race.objects.select_related("competition"), pk=race_id)


def recent_changes(race, limit=None):
    changes = Change.objects.filter(race=race).select_related("actor").order_by("-version")
    return changes[:limit] if limit else changes


def change_json(c):
    return {
        "version": c.version, "at": c.at.isoformat(), "action": c.action, "who": c.who, "source": c.source,
        "device": c.device, "pair": c.pair, "lane": c.lane, "distance": c.distance,
        "old_value": c.old_value, "new_value": c.new_value, "reason": c.reason,
    }


@official_only
def races(request):
    return render(request, "officials/races.html", {"races": Race.objects.listed()})


@official_only
def console(request, race_id):
    race = _race(race_id)
    return render(request, "officials/console.html", {"race": race, "changes": recent_changes(race, 20)})


@official_only
def audit(request, race_id):
    race = _race(race_id)
    page = Paginator(recent_changes(race), 200).get_page(request.GET.get("page"))
    return render(request, "officials/audit.html", {"race": race, "page": page})


@official_only
def audit_json(request, race_id):
    """The newest changes for the console's audit panel, refreshed when the race version moves."""
    race = _race(race_id)
    return JsonResponse({"version": race.version, "changes": [change_json(c) for c in recent_changes(race, 30)]})
