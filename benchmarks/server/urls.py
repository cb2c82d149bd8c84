"""The project's URLs and the benchmarks' own: bare inserts, the baselines a session save and a
check-in are compared to, and (until the kiosk's JSON endpoint exists) a bare view that calls the
check-in service.

Only `benchmarks.server.settings` names this URLconf; the product's URLs never include it.
"""

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from impactlog.config.urls import urlpatterns as product_urls
from impactlog.kiosk import services as kiosk
from impactlog.tenancy.models import AuditEntry

KIOSK_COOKIE = "impactlog_kiosk"


@login_required
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    """One row written, nothing read, nothing checked: what a save cannot be cheaper than."""
    # the benchmark's own row, written the plainest way
    AuditEntry.all_objects.create(action="session.created", object_type="bench.insert")
    return HttpResponse(status=204)


@csrf_exempt  # as a kiosk posts: no staff session, a device cookie and a JSON body
@require_POST
def bare_kiosk_insert(request: HttpRequest) -> HttpResponse:
    """A kiosk's request at its cheapest: the JSON body parsed, one row written, nothing checked."""
    body = json.loads(request.body)
    # the benchmark's own row, written the plainest way
    AuditEntry.all_objects.create(action="session.created", object_type=f"bench.{body['kind']}")
    return JsonResponse({"ok": True}, status=201)


@csrf_exempt
@require_POST
def bench_check_in(request: HttpRequest) -> HttpResponse:
    """A check-in through the service, for as long as the kiosk has no JSON endpoint of its own
    (`impactlog.kiosk.api`); bench_checkin uses that one when it exists."""
    body: dict[str, Any] = json.loads(request.body)
    if body.get("device_time"):
        body["device_time"] = parse_datetime(body["device_time"])
    try:
        result = kiosk.check_in(request.COOKIES.get(KIOSK_COOKIE, ""), kiosk.CheckInInput(**body))
    except kiosk.DeviceRefused:
        return JsonResponse({"error": "device"}, status=401)
    except kiosk.TooMany:
        return JsonResponse({"error": "too many"}, status=429)
    except ValidationError as error:
        return JsonResponse({"error": error.messages}, status=400)
    return JsonResponse({"id": result.checkin.pk, "duplicate": result.duplicate}, status=201)


urlpatterns = [
    path("bench/insert/", bare_insert, name="bench_insert"),
    path("bench/kiosk-insert/", bare_kiosk_insert, name="bench_kiosk_insert"),
    path("bench/check-in/", bench_check_in, name="bench_check_in"),
    *product_urls,
]
