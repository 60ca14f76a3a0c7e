"""What a view asks of a request before it runs: a signed-in member, a rate limit not used up, a safe "next" URL."""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from dailypapers.core import ratelimit


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def member_required(view):
    """Signed-in users only; others are sent to the sign-in page (htmx requests through HX-Redirect)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        login_url = f"{settings.LOGIN_URL}?next={request.get_full_path() if request.method == 'GET' else next_url(request, '/')}"
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        return HttpResponseRedirect(login_url)

    return wrapper


def rate_limited(action: str):
    """Refuse with 429 once the action's limit (settings.RATE_LIMITS) is used up; only POSTs count."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not ratelimit.hit(action, ratelimit.actor(request)):
                return render(request, "web/429.html", {"action": action}, status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
