"""Community pages and actions: accounts, votes (htmx), comments, submissions, moderation. Thin: the rules live in
services.py; every write needs a signed-in user, a CSRF token, and passes a rate limit in the shared cache."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dailypapers.community import accounts, services
from dailypapers.community.models import Comment
from dailypapers.core import ratelimit
from dailypapers.papers.models import DailyEntry
from dailypapers.web.forms.community import CommentForm, SignupForm, SubmitForm, ThrottledAuthenticationForm
from dailypapers.web.guards import is_htmx, member_required, next_url, rate_limited
from dailypapers.web.lookups import paper_or_404

# --- accounts -------------------------------------------------------------------------------------------------


@rate_limited("signup")
def signup(request):
    """The same answer whether or not the address has an account (only its inbox learns which)."""
    if request.user.is_authenticated:
        return redirect("web:profile", username=request.user.username)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        accounts.signup(username=form.cleaned_data["username"], email=email, password=form.cleaned_data["password1"])
        return render(request, "web/accounts/signup_done.html", {"email": email})
    return render(request, "web/accounts/signup.html", {"form": form, "next": next_url(request, "")})


@require_http_methods(["GET", "POST"])
def verify_email(request, token: str):
    """GET shows a button (link scanners must not verify on their own); POST verifies and signs in."""
    if request.method == "GET":
        return render(request, "web/accounts/verify_email.html", {"token": token})
    try:
        user = accounts.verify_email(token=token)
    except accounts.BadVerificationLink as exc:
        return render(request, "web/accounts/verify_email.html", {"reason": str(exc)}, status=400)
    if not user.is_active:
        return render(request, "web/accounts/verify_email.html", {"reason": "This account is suspended."}, status=403)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Welcome, {user.username}! You can now upvote, comment and submit papers.")
    return redirect("/")


@require_http_methods(["GET", "POST"])
@member_required
@rate_limited("signup")
def verify_email_send(request):
    """A signed-in user whose address is not verified yet asks for a (new) link."""
    if request.method == "POST":
        accounts.request_verification(user=request.user)
        return render(request, "web/accounts/verify_email.html", {"sent": True})
    return render(request, "web/accounts/verify_email.html", {})


login_view = rate_limited("login")(
    auth_views.LoginView.as_view(
        template_name="web/accounts/login.html",
        authentication_form=ThrottledAuthenticationForm,
        redirect_authenticated_user=True,
    )
)
logout_view = auth_views.LogoutView.as_view()


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation, which also lifts the account's sign-in lockout (the page says it does)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        ratelimit.login_clear(form.user.get_username())
        return response


password_reset = rate_limited("password_reset")(
    auth_views.PasswordResetView.as_view(
        template_name="web/accounts/password_reset_form.html",
        email_template_name="web/accounts/password_reset_email.txt",
        subject_template_name="web/accounts/password_reset_subject.txt",
        success_url="/accounts/password_reset/done/",
    )
)


# --- votes ----------------------------------------------------------------------------------------------------


@require_POST
@member_required
@rate_limited("vote")
def vote(request, arxiv_id: str):
    """Toggle the user's upvote (or set it with up=1/up=0); htmx gets the new button, others a redirect back."""
    paper = paper_or_404(arxiv_id)
    up = request.POST.get("up")
    if up in ("0", "1"):
        voted, count = services.vote_set(user=request.user, paper=paper, up=up == "1")
    else:
        voted, count = services.vote_toggle(user=request.user, paper=paper)
    if is_htmx(request):
        paper.voted = voted
        entry = request.POST.get("entry", "")  # a card of a day's page shows that entry's count (Paper.shown_upvotes)
        if entry.isdigit() and len(entry) < 15:
            paper.page_entry = DailyEntry.objects.filter(pk=int(entry), paper=paper).first()
        return render(request, "web/_vote.html", {"paper": paper})
    return redirect(next_url(request, paper.get_absolute_url()))


# --- comments -------------------------------------------------------------------------------------------------


@require_POST
@member_required
@rate_limited("comment")
def comment_create(request, arxiv_id: str):
    paper = paper_or_404(arxiv_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "The comment was not posted: " + "; ".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect(paper.get_absolute_url() + "#discussion")
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], paper=paper).first()
        if parent is None:
            messages.error(request, "The comment you replied to does not exist (any more).")
            return redirect(paper.get_absolute_url() + "#discussion")
    try:
        comment = services.comment_create(user=request.user, paper=paper, body=form.cleaned_data["body"], parent=parent)
    except services.CommentRefused as exc:
        messages.error(request, str(exc))
        return redirect(paper.get_absolute_url() + "#discussion")
    return redirect(f"{paper.get_absolute_url()}#comment-{comment.pk}")


@member_required
@rate_limited("comment")
def comment_edit(request, comment_id: int):
    comment = get_object_or_404(Comment.objects.select_related("paper"), pk=comment_id)
    if comment.author_id != request.user.pk:
        return render(request, "web/403.html", {"message": "Only the author can edit this comment."}, status=403)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(user=request.user, comment=comment, body=form.cleaned_data["body"])
        except services.CommentRefused as exc:
            messages.error(request, str(exc))
        return redirect(f"{comment.paper.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "web/comment_edit.html", {"form": form, "comment": comment})


@require_POST
@member_required
@rate_limited("comment")
def comment_delete(request, comment_id: int):
    comment = get_object_or_404(Comment.objects.select_related("paper"), pk=comment_id)
    try:
        services.comment_delete(user=request.user, comment=comment)
    except services.NotAllowed as exc:
        return render(request, "web/403.html", {"message": str(exc)}, status=403)
    except services.CommentRefused as exc:
        messages.error(request, str(exc))
    return redirect(f"{comment.paper.get_absolute_url()}#discussion")


# --- submissions ----------------------------------------------------------------------------------------------


@member_required
@rate_limited("submit")
def submit(request):
    form = SubmitForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.submit_paper(user=request.user, arxiv_id=form.cleaned_data["arxiv_id"])
        except services.SubmissionQueued as exc:  # fetched by the worker: answered at once
            messages.info(request, exc.message)
            return render(request, "web/submit.html", {**_submit_context(SubmitForm()), "queued": exc}, status=202)
        except services.SubmissionRefused as exc:
            refusal = exc
        else:
            messages.success(request, f"Thanks! “{entry.paper.title}” is on today's page.")
            return redirect(entry.paper.get_absolute_url())
    context = {**_submit_context(form), "refusal": refusal}
    return render(request, "web/submit.html", context, status=400 if refusal or form.errors else 200)


def _submit_context(form) -> dict:
    return {"form": form, "max_age_days": settings.SUBMISSION_MAX_AGE_DAYS, "per_day": settings.SUBMISSIONS_PER_DAY}


# --- moderation -----------------------------------------------------------------------------------------------


def _moderation(request, action):
    try:
        action()
    except services.NotAllowed as exc:
        return render(request, "web/403.html", {"message": str(exc)}, status=403)
    return None


@require_POST
@member_required
@rate_limited("moderate")
def comment_hide(request, comment_id: int):
    comment = get_object_or_404(Comment.objects.select_related("paper"), pk=comment_id)
    hidden = request.POST.get("hidden", "1") == "1"
    refused = _moderation(
        request,
        lambda: services.comment_hide(
            moderator=request.user, comment=comment, hidden=hidden, reason=request.POST.get("reason", "")
        ),
    )
    return refused or redirect(f"{comment.paper.get_absolute_url()}#comment-{comment.pk}")


@require_POST
@member_required
@rate_limited("moderate")
def entry_remove(request, arxiv_id: str):
    paper = paper_or_404(arxiv_id)
    entry = DailyEntry.objects.filter(paper=paper).order_by("-day").first()
    if entry is None:
        raise Http404("This paper is on no daily page.")
    day = entry.day
    refused = _moderation(
        request,
        lambda: services.entry_remove(moderator=request.user, entry=entry, reason=request.POST.get("reason", "")),
    )
    if refused:
        return refused
    messages.success(request, f"arXiv:{paper.arxiv_id} was taken off the page of {day.isoformat()}.")
    return redirect(paper.get_absolute_url())


@require_POST
@member_required
@rate_limited("moderate")
def user_suspend(request, username: str):
    member = get_object_or_404(get_user_model(), username=username)
    suspended = request.POST.get("suspended", "1") == "1"
    refused = _moderation(
        request,
        lambda: services.user_suspend(
            moderator=request.user, user=member, suspended=suspended, reason=request.POST.get("reason", "")
        ),
    )
    if refused:
        return refused
    messages.success(request, f"{member.username} is {'suspended' if suspended else 'no longer suspended'}.")
    return redirect(reverse("web:profile", args=[member.username]))
