"""The officials' pages for setting up a competition day: competitions, their races in schedule
order, the race on the ice, and each race's start list (CSV upload and edits pair by pair).

Plain HTML forms with CSRF, usable by keyboard alone. The forms only turn text into the types the
services take; every rule (what a valid time zone, distance or lane is, when a pair is locked) is
the service layer's, whose refusal is shown next to the field it names, with its HTTP status.
"""
from zoneinfo import available_timezones

from django import forms
from django.contrib import messages
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from . import access, services, startlists
from .models import Competition, DeviceToken, Race
from .officials import official_only
from .services import Actor, ServiceError

#: The whole request, file and form fields, refused by its Content-Length before anything is read.
MAX_UPLOAD_BYTES = startlists.MAX_CSV_BYTES + 16 * 1024
ZONES = sorted(available_timezones())


# --- forms: text in, the services' types out ---------------------------------------------------


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels sit above their fields: no colon needed
        super().__init__(*args, **kwargs)


class CompetitionForm(Form):
    name = forms.CharField(max_length=200, label=gettext_lazy("Name"))
    venue = forms.CharField(max_length=200, required=False, label=gettext_lazy("Venue"),
                            help_text=gettext_lazy("The rink, such as Thialf, Heerenveen."))
    starts_on = forms.DateField(required=False, label=gettext_lazy("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(required=False, label=gettext_lazy("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    time_zone = forms.CharField(
        max_length=64, initial="UTC", label=gettext_lazy("Time zone"),
        help_text=gettext_lazy("The venue's clock, such as Europe/Amsterdam."),
        widget=forms.TextInput(attrs={"list": "zones", "autocomplete": "off", "spellcheck": "false"}),
    )
    olympic = forms.BooleanField(required=False, label=gettext_lazy("Olympic Games (Olympic records apply)"))


class RaceForm(Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"),
                            help_text=gettext_lazy("As the boards show it, such as Women's 1000 m."))
    category = forms.CharField(max_length=40, label=gettext_lazy("Category"),
                               help_text=gettext_lazy("Such as Women, Men, Junior Ladies A."))
    kind = forms.ChoiceField(choices=Race.KINDS, initial=Race.INDIVIDUAL, label=gettext_lazy("Kind"))
    # The kinds' names in the reader's language, the distances as numbers: "Team pursuit: 3200, 2400".
    distance = forms.IntegerField(min_value=1, label=gettext_lazy("Distance"), help_text=format_lazy(
        "{metres} " + "; ".join(
            f"{{{kind}}}: {', '.join(map(str, services.KIND_DISTANCES[kind]))}" for kind, _label in Race.KINDS
        ) + ".", metres=gettext_lazy("Metres."), **dict(Race.KINDS)))
    scheduled_at = forms.CharField(
        required=False, label=gettext_lazy("Scheduled start"),
        help_text=gettext_lazy("The venue's local time."), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    order = forms.IntegerField(min_value=0, required=False, label=gettext_lazy("Order"),
                               help_text=gettext_lazy("Place in the day; empty: after the last race."))


class UploadForm(Form):
    file = forms.FileField(label=gettext_lazy("Start list (CSV)"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))


#: A lane as a form offers it: the value the services take, the word in the reader's language.
LANE_CHOICES = [("inner", gettext_lazy("inner")), ("outer", gettext_lazy("outer"))]


def _lane(lane):
    return str(dict(LANE_CHOICES).get(lane, lane))


class EntryForm(Form):
    pair = forms.IntegerField(min_value=1, label=gettext_lazy("Pair"))
    lane = forms.ChoiceField(choices=LANE_CHOICES, label=gettext_lazy("Lane"))
    name = forms.CharField(max_length=300, label=gettext_lazy("Name"))
    nation = forms.CharField(max_length=20, label=gettext_lazy("Nation"), help_text=gettext_lazy("IOC code, such as NED."))
    pb = forms.CharField(required=False, max_length=20, label=gettext_lazy("Personal best"),
                         help_text=gettext_lazy("Such as 1:14.20."))
    licence = forms.CharField(required=False, max_length=100, label=gettext_lazy("Licence"))


class MoveForm(Form):
    pair = forms.IntegerField(min_value=1, label=gettext_lazy("From pair"))
    lane = forms.ChoiceField(choices=LANE_CHOICES, label=gettext_lazy("From lane"))
    to_pair = forms.IntegerField(min_value=1, label=gettext_lazy("To pair"))
    to_lane = forms.ChoiceField(choices=LANE_CHOICES, label=gettext_lazy("To lane"))


class SlotForm(Form):
    """One lane of one pair, from a button in the start list table."""

    pair = forms.IntegerField(min_value=1)
    lane = forms.ChoiceField(choices=LANE_CHOICES, required=False)
    reason = forms.CharField(required=False, max_length=300)


def _refused(form, error):
    """Put a service's refusal next to the field it names (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    return error.status


def _actor(request):
    return Actor.official(request.user)


def _competition(competition_id):
    return get_object_or_404(Competition.objects.select_related("on_ice"), pk=competition_id)


def _race(race_id):
    return get_object_or_404(Race.objects.select_related("competition"), pk=race_id)


# --- competitions ------------------------------------------------------------------------------


@official_only
def competitions(request):
    return render(request, "officials/setup/competitions.html", {
        "competitions": access.competitions_of(request.user).order_by("-starts_on", "name"),
    })


def _competition_data(form):
    data = dict(form.cleaned_data)
    data["starts_on"], data["ends_on"] = data["starts_on"] or None, data["ends_on"] or None
    return data


@official_only
def competition_new(request):
    form, status = CompetitionForm(request.POST or None), 200
    if request.method == "POST":
        if form.is_valid():
            try:
                comp = services.create_competition(_competition_data(form), _actor(request))
            except ServiceError as e:
                status = _refused(form, e)
            else:
                messages.success(request, _("%(name)s created. Add its races next.") % {"name": comp.name})
                return redirect("setup-competition", comp.id)
        else:
            status = 400
    return render(request, "officials/setup/competition_form.html", {"form": form, "zones": ZONES}, status=status)


@official_only
def competition_edit(request, competition_id):
    comp = _competition(competition_id)
    initial = {f: getattr(comp, f) for f in ("name", "venue", "starts_on", "ends_on", "time_zone", "olympic")}
    form, status = CompetitionForm(request.POST or None, initial=initial), 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_competition(comp.id, _competition_data(form), _actor(request))
            except ServiceError as e:
                status = _refused(form, e)
            else:
                messages.success(request, _("Competition saved."))
                return redirect("setup-competition", comp.id)
        else:
            status = 400
    return render(request, "officials/setup/competition_form.html",
                  {"form": form, "competition": comp, "zones": ZONES}, status=status)


@official_only
def competition(request, competition_id):
    return _competition_page(request, _competition(competition_id))


def _competition_page(request, comp, status=200, access_error=None):
    zone = comp.zone
    races = [(race, race.scheduled_at.astimezone(zone) if race.scheduled_at else None)
             for race in comp.races.in_schedule_order()]
    return render(request, "officials/setup/competition.html", {
        "competition": comp, "races": races, **_access(request, comp), "access_error": access_error,
    }, status=status)


def _access(request, comp):
    """Who may write to the competition: its officials, and the device tokens that reach it
    (its own and the unscoped ones, which reach every competition)."""
    tokens = DeviceToken.objects.active().filter(Q(competition=comp) | Q(competition__isnull=True)).order_by("name")
    return {
        "officials": comp.officials.order_by("username"), "may_assign": access.may_assign(request.user, comp),
        "tokens": tokens,
    }


@official_only
@require_POST
def official_add(request, competition_id):
    """The owner (or a superuser) assigns an official by user name; audited like every competition write."""
    comp = _competition(competition_id)
    if not access.may_assign(request.user, comp):
        return _not_owner(request, comp)
    try:
        user = services.add_official(comp.id, request.POST.get("username", ""), _actor(request))
    except ServiceError as e:
        return _competition_page(request, comp, status=e.status, access_error=e.message)
    else:
        messages.success(request, _("%(user)s is now an official of %(name)s.") % {"user": user.get_username(), "name": comp.name})
    return redirect("setup-competition", comp.id)


@official_only
@require_POST
def official_remove(request, competition_id, user_id):
    comp = _competition(competition_id)
    if not access.may_assign(request.user, comp):
        return _not_owner(request, comp)
    try:
        user = services.remove_official(comp.id, user_id, _actor(request))
    except ServiceError as e:
        return _competition_page(request, comp, status=e.status, access_error=e.message)
    else:
        messages.success(request, _("%(user)s is no longer an official of %(name)s.") % {"user": user.get_username(), "name": comp.name})
    return redirect("setup-competition", comp.id)


def _not_owner(request, comp):
    owner = comp.owner.get_username() if comp.owner_id else "an administrator"
    reason = f"Only the owner of {comp.name} or an administrator assigns its officials; ask {owner}."
    return render(request, "officials/forbidden.html", {"reason": reason}, status=403)


@official_only
@require_POST
def on_ice(request, competition_id):
    comp = _competition(competition_id)
    raw = request.POST.get("race", "")
    race_id = int(raw) if raw.isascii() and raw.isdigit() else None
    if raw and race_id is None:
        messages.error(request, _("'%(value)s' is not a race.") % {"value": raw[:20]})
        return redirect("setup-competition", comp.id)
    try:
        services.set_on_ice(comp.id, race_id, _actor(request))
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        comp.refresh_from_db()
        messages.success(request, _("On the ice now: %(title)s.") % {"title": comp.on_ice.title} if comp.on_ice
                         else _("Nothing on the ice."))
    return redirect("setup-competition", comp.id)


# --- races -------------------------------------------------------------------------------------


def _race_data(form):
    data = dict(form.cleaned_data)
    data["scheduled_at"] = data["scheduled_at"].strip() or None
    if data["order"] is None:
        del data["order"]  # a new race goes last; an edited one keeps its place
    return data


@official_only
def race_new(request, competition_id):
    comp = _competition(competition_id)
    form, status = RaceForm(request.POST or None), 200
    if request.method == "POST":
        if form.is_valid():
            try:
                race = services.create_race(comp.id, _race_data(form), _actor(request))
            except ServiceError as e:
                status = _refused(form, e)
            else:
                messages.success(request, _("%(title)s added. Upload its start list.") % {"title": race.title})
                return redirect("setup-startlist", race.id)
        else:
            status = 400
    return render(request, "officials/setup/race_form.html", {"form": form, "competition": comp}, status=status)


@official_only
def race_edit(request, race_id):
    race = _race(race_id)
    local = race.scheduled_at.astimezone(race.competition.zone) if race.scheduled_at else None
    initial = {f: getattr(race, f) for f in ("title", "category", "kind", "distance", "order")}
    initial["scheduled_at"] = local.strftime("%Y-%m-%dT%H:%M") if local else ""
    form, status = RaceForm(request.POST or None, initial=initial), 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_race(race.id, _race_data(form), _actor(request))
            except ServiceError as e:
                status = _refused(form, e)
            else:
                messages.success(request, _("%(title)s saved.") % {"title": form.cleaned_data["title"]})
                return redirect("setup-competition", race.competition_id)
        else:
            status = 400
    return render(request, "officials/setup/race_form.html",
                  {"form": form, "competition": race.competition, "race": race}, status=status)


# --- the start list ----------------------------------------------------------------------------


def _startlist_page(request, race, status=200, **forms_and_problems):
    pairs = []
    started = set(race.pairs.started().values_list("number", flat=True))
    for pair in race.pairs.prefetch_related("starts__skater").order_by("number"):
        lanes = {s.lane: s for s in pair.starts.all()}
        pairs.append({"number": pair.number, "inner": lanes.get("inner"), "outer": lanes.get("outer"),
                      "locked": pair.number in started})
    last = pairs[-1]["number"] if pairs else 0
    context = {
        "race": race, "competition": race.competition, "pairs": pairs, "any_started": bool(started),
        "has_gaps": any(not (p["inner"] or p["outer"]) for p in pairs),
        "upload": UploadForm(prefix="upload"), "entry": EntryForm(prefix="entry", initial={"pair": max(last, 1)}),
        "move": MoveForm(prefix="move"), "max_mb": startlists.MAX_CSV_BYTES // 1_000_000,
        **forms_and_problems,
    }
    return render(request, "officials/setup/startlist.html", context, status=status)


@official_only
def startlist(request, race_id):
    return _startlist_page(request, _race(race_id))


@csrf_exempt  # checked below, after the size: Django's check would read the whole body first
@official_only
@require_POST
def startlist_upload(request, race_id):
    """A CSV start list replaces the race's (while no pair has started). A file over the cap is
    refused by its Content-Length alone; a bad file lists every problem; nothing is stored."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD_BYTES:
        race = _race(race_id)
        refusal = startlists.StartListError.too_large(length).problems
        return _startlist_page(request, race, status=413, problems=refusal)
    request.upload_handlers = [MemoryFileUploadHandler(request)]  # small by now: never to disk
    return _upload(request, race_id)


@csrf_protect
def _upload(request, race_id):
    race = _race(race_id)
    form = UploadForm(request.POST, request.FILES, prefix="upload")
    if not form.is_valid():
        return _startlist_page(request, race, status=400, upload=form)
    upload = form.cleaned_data["file"]
    try:
        entries = startlists.read_csv(upload.read(startlists.MAX_CSV_BYTES + 1))
    except startlists.StartListError as e:
        return _startlist_page(request, race, status=400, upload=form, problems=e.problems, filename=upload.name)
    try:
        services.replace_startlist(race.id, entries, _actor(request))
    except ServiceError as e:
        form.add_error("file", e.message)
        return _startlist_page(request, race, status=e.status, upload=form)
    pairs = len({e.pair for e in entries})
    messages.success(request, _("%(file)s: %(skaters)s skaters in %(pairs)s pairs stored.") % {
        "file": upload.name, "skaters": len(entries), "pairs": pairs})
    return redirect("setup-startlist", race.id)


def _edit(request, race_id, form_class, form_name, call, done):
    """Run one start-list edit from a form; on refusal show the page again with the reason."""
    race = _race(race_id)
    form = form_class(request.POST, prefix=form_name)
    if not form.is_valid():
        return _startlist_page(request, race, status=400, **{form_name: form})
    try:
        call(race, form.cleaned_data)
    except ServiceError as e:
        status = _refused(form, e)
        return _startlist_page(request, race, status=status, **{form_name: form})
    messages.success(request, done(form.cleaned_data))
    return redirect("setup-startlist", race.id)


@official_only
@require_POST
def entry_add(request, race_id):
    return _edit(request, race_id, EntryForm, "entry",
                 lambda race, d: services.add_entry(race.id, d, _actor(request)),
                 lambda d: _("%(name)s added to pair %(pair)s %(lane)s.") % {**d, "name": d["name"].strip(), "lane": _lane(d["lane"])})


@official_only
@require_POST
def entry_move(request, race_id):
    return _edit(request, race_id, MoveForm, "move",
                 lambda race, d: services.move_start(race.id, d["pair"], d["lane"], d["to_pair"], d["to_lane"],
                                                     _actor(request)),
                 lambda d: _("Moved from pair %(pair)s %(lane)s to pair %(to_pair)s %(to_lane)s.") % {
                     **d, "lane": _lane(d["lane"]), "to_lane": _lane(d["to_lane"])})


@official_only
@require_POST
def entry_withdraw(request, race_id):
    return _edit(request, race_id, SlotForm, "slot",
                 lambda race, d: services.withdraw(race.id, d["pair"], d["lane"], d["reason"], _actor(request)),
                 lambda d: _("Withdrawn from pair %(pair)s %(lane)s.") % {**d, "lane": _lane(d["lane"])})


@official_only
@require_POST
def pair_swap(request, race_id):
    return _edit(request, race_id, SlotForm, "slot",
                 lambda race, d: services.swap_lanes(race.id, d["pair"], _actor(request)),
                 lambda d: _("Pair %(pair)s: lanes swapped.") % d)


@official_only
@require_POST
def pair_up(request, race_id):
    """Move a pair one place earlier: the pairs renumbered with it and the one before it swapped."""

    def call(race, d):
        order = list(race.pairs.order_by("number").values_list("number", flat=True))
        if d["pair"] not in order or order.index(d["pair"]) == 0:
            raise services.Invalid(f"Pair {d['pair']} is already first.", "pair")
        i = order.index(d["pair"])
        order[i - 1], order[i] = order[i], order[i - 1]
        services.renumber_pairs(race.id, order, _actor(request))

    return _edit(request, race_id, SlotForm, "slot", call, lambda d: _("Pair %(pair)s moved up one place.") % d)


@official_only
@require_POST
def pairs_close_gaps(request, race_id):
    race = _race(race_id)
    try:
        services.renumber_pairs(race.id, None, _actor(request))
    except ServiceError as e:
        return _startlist_page(request, race, status=e.status, slot_error=e.message)
    messages.success(request, _("Empty pairs removed; the pairs are numbered 1, 2, 3… again."))
    return redirect("setup-startlist", race.id)
