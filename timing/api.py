"""JSON views: thin. Parse, call the service layer or the snapshot, answer."""
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from .live import snapshot_text
from .models import Race


@require_GET
def race_list(request):
    races = [
        {"id": r.id, "title": r.title, "distance": r.distance, "category": r.category, "state": r.state,
         "version": r.version, "competition": r.competition.name, "demo": r.demo}
        for r in Race.objects.listed()
    ]
    return JsonResponse({"races": races})


@require_GET
def race_snapshot(request, race_id):
    version, text = snapshot_text(race_id)
    if version is None:
        return JsonResponse({"error": f"There is no race {race_id}."}, status=404)
    response = HttpResponse(text, content_type="application/json")
    response["Cache-Control"] = "no-cache"
    response["ETag"] = f'"{race_id}-{version}"'
    return response
