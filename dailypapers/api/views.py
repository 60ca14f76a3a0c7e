"""The token page (/settings/tokens): a signed-in user creates personal API tokens (shown once) and revokes them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from dailypapers.api.models import ApiToken
from dailypapers.api.services import TokenError, token_create, token_revoke


@never_cache
@login_required
def tokens(request):
    new_secret = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            try:
                new_secret = token_create(user=request.user, name=request.POST.get("name", "")).secret
            except TokenError as exc:
                messages.error(request, str(exc))
        elif action == "revoke":
            try:
                token_id = int(request.POST.get("token_id", ""))
            except ValueError:
                token_id = 0
            if token_revoke(user=request.user, token_id=token_id):
                messages.success(request, "Token revoked: it no longer works.")
            else:
                messages.error(request, "No such active token.")
            return redirect("api-tokens")
    active = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(request, "api/tokens.html", {"tokens": active, "new_secret": new_secret})
