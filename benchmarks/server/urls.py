"""The project's URLs and one more: a bare insert, the baseline a session save is compared to.

Only `benchmarks.server.settings` names this URLconf; the product's URLs never include it.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from impactlog.config.urls import urlpatterns as product_urls
from impactlog.tenancy.models import AuditEntry


@login_required
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    """One row written, nothing read, nothing checked: what a save cannot be cheaper than."""
    # the benchmark's own row, written the plainest way
    AuditEntry.all_objects.create(action="session.created", object_type="bench.insert")
    return HttpResponse(status=204)


urlpatterns = [path("bench/insert/", bare_insert, name="bench_insert"), *product_urls]
