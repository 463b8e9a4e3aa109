"""Pages. Each renders a shell; its JavaScript module fills it from the snapshot and the socket."""
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Competition, Race


def home(request):
    races = Prefetch("races", queryset=Race.objects.order_by("id"))
    competitions = Competition.objects.order_by("-starts_on", "name").prefetch_related(races)
    return render(request, "timing/home.html", {"competitions": competitions})


def competition(request, competition_id):
    comp = get_object_or_404(Competition, pk=competition_id)
    return render(request, "timing/competition.html", {"competition": comp, "races": comp.races.order_by("id")})


def spectator(request, race_id):
    race = get_object_or_404(Race.objects.select_related("competition"), pk=race_id)
    return render(request, "timing/spectator.html", {"race": race})


def board(request, race_id):
    race = get_object_or_404(Race.objects.select_related("competition"), pk=race_id)
    return render(request, "timing/board.html", {"race": race})
