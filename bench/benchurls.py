"""Oval's URLs plus the floor of the write path (bench/writepath.py): a view on the same stack
(Daphne, Django, the same middleware, database and settings) that validates a small JSON body
and inserts one row in a transaction, and nothing else."""
import json

from django.db import transaction
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as oval
from timing.models import Change


@csrf_exempt
def bare(request):
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "The body is not valid JSON."}, status=400)
    if not (isinstance(data, dict) and isinstance(data.get("pair"), int) and isinstance(data.get("lane"), str)
            and isinstance(data.get("distance"), int) and isinstance(data.get("time_ms"), int)):
        return JsonResponse({"error": "pair, lane, distance and time_ms are required."}, status=400)
    with transaction.atomic():
        row = Change.objects.create(action="bench", source="device", device="bench",
                                    new_value=str(data["time_ms"]), version=0)
    return JsonResponse({"id": row.id}, status=201)


urlpatterns = [path("bench/bare", bare), *oval]
