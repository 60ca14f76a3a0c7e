"""For load balancers and operators: /healthz (the process answers), /readyz (this node can serve), /metrics
(Prometheus; only with DAILYPAPERS_METRICS_TOKEN, sent as a bearer token), /favicon.ico."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dailypapers.core import metrics
from dailypapers.core.readiness import readiness_problems

TEXT = "text/plain; charset=utf-8"


@never_cache
@require_GET
def healthz(request):
    return HttpResponse("ok\n", content_type=TEXT)


@never_cache
@require_GET
def readyz(request):
    problems = readiness_problems()
    if problems:
        return HttpResponse("not ready:\n" + "".join(f"- {p}\n" for p in problems), content_type=TEXT, status=503)
    return HttpResponse("ready\n", content_type=TEXT)


@never_cache
@require_GET
def metrics_view(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("metrics are off (set DAILYPAPERS_METRICS_TOKEN)")
    sent = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(sent.encode(), token.encode()):
        response = HttpResponse("a bearer token is required\n", content_type=TEXT, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")


@require_GET
def favicon(request):
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))
