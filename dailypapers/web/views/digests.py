"""Subscription pages: subscribe, confirm, one-click unsubscribe (RFC 8058), manage preferences. Thin views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dailypapers.core import ratelimit
from dailypapers.digests import services, tokens
from dailypapers.digests.models import Subscription
from dailypapers.digests.tokens import BadToken
from dailypapers.web.forms.digests import PreferencesForm, SubscribeForm


def _bad_link(request, exc: BadToken):
    return render(request, "digests/bad_link.html", {"reason": str(exc)}, status=400)


def _form_error(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _too_many(request, message: str, *, status: int = 429):
    response = render(request, "web/429.html", {"action": "subscribe", "message": message}, status=status)
    response["Retry-After"] = "600"
    return response


@require_http_methods(["GET", "POST"])
def subscribe(request):
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        # Per client, then per recipient domain (DAILYPAPERS_RATE_LIMITS subscribe, subscribe_domain); the
        # per-mailbox limit on mails sent is in services.subscription_request.
        if not ratelimit.hit("subscribe", ratelimit.client_ip(request)):
            return _too_many(request, "Too many subscription requests from your address; try again later.")
        form = SubscribeForm(request.POST)
        if form.is_valid():
            domain = form.cleaned_data["email"].strip().lower().rpartition("@")[2]
            if not ratelimit.hit("subscribe_domain", domain):
                return _too_many(request, "Too many subscription requests for that mail domain; try again later.")
            try:
                services.subscription_request(email=form.cleaned_data["email"], prefs=form.preferences(), user=user)
            except services.TooManyPending as exc:
                return _too_many(request, str(exc), status=503)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                # The same page whether or not the address was known: only its inbox learns more.
                return render(request, "digests/check_inbox.html", {"email": form.cleaned_data["email"].strip()})
        return render(request, "digests/subscribe.html", {"form": form}, status=400)
    initial = {"email": user.email} if user is not None and user.email else {}
    return render(request, "digests/subscribe.html", {"form": SubscribeForm(initial=initial)})


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    # GET only shows a button: link scanners that fetch every URL in a message must not confirm on their own.
    if request.method == "GET":
        try:
            subscription = services.subscription_pending(token=token)
        except BadToken as exc:
            return _bad_link(request, exc)
        prefs = services.requested_preferences(subscription)
        return render(request, "digests/confirm.html", {"token": token, "subscription": subscription, "prefs": prefs})
    try:
        subscription = services.subscription_confirm(token=token)
    except BadToken as exc:
        return _bad_link(request, exc)
    token = tokens.manage_token(subscription_id=subscription.pk)
    return render(request, "digests/confirmed.html", {"subscription": subscription, "manage_token": token})


@csrf_exempt  # RFC 8058: mail clients POST here without a session; the signed token is the credential
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        services.subscription_from_token(token=token, expires=False)
    except BadToken as exc:
        return _bad_link(request, exc)
    if request.method == "GET":  # a visible link: confirm with one button (prefetchers must not unsubscribe)
        return render(request, "digests/unsubscribe.html", {"token": token})
    services.subscription_unsubscribe(token=token)
    return render(request, "digests/unsubscribed.html", {"token": token})


def _preferences_page(request, *, subscription: Subscription | None, action_url: str, user=None):
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                if subscription is not None:
                    services.subscription_update(subscription=subscription, prefs=form.preferences(), user=user)
                    saved = True
                else:
                    services.subscription_request(email=user.email, prefs=form.preferences(), user=user)
                    return render(request, "digests/check_inbox.html", {"email": user.email})
            except services.TooManyPending as exc:
                return _too_many(request, str(exc), status=503)
            except ValidationError as exc:
                _form_error(form, exc)
        if not saved:
            return render(
                request,
                "digests/manage.html",
                {"form": form, "subscription": subscription, "action_url": action_url},
                status=400,
            )
    if subscription is not None:
        subscription.refresh_from_db()
        form = PreferencesForm(initial=PreferencesForm.initial_from(services.Preferences.of(subscription)))
    else:
        form = PreferencesForm()
    context = {"form": form, "subscription": subscription, "action_url": action_url, "saved": saved}
    if subscription is not None:
        context["token"] = tokens.manage_token(subscription_id=subscription.pk)
    return render(request, "digests/manage.html", context)


@require_http_methods(["GET", "POST"])
def manage_token(request, token: str):
    try:
        subscription = services.subscription_from_token(token=token)
    except BadToken as exc:
        return _bad_link(request, exc)
    user = request.user if request.user.is_authenticated else None
    return _preferences_page(request, subscription=subscription, action_url=request.path, user=user)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request):
    """The signed-in user's digest settings (the profile page links here)."""
    if not request.user.email:
        return render(request, "digests/no_email.html", status=400)
    if not request.user.email_verified:  # nothing is tied to an address its holder has not proved
        return render(request, "web/accounts/verify_email.html", status=403)
    subscription = services.subscription_for_user(user=request.user)
    if subscription is not None and subscription.status != Subscription.Status.ACTIVE:
        subscription = None  # (re)subscribing goes through the e-mail confirmation again
    return _preferences_page(request, subscription=subscription, action_url=request.path, user=request.user)
