"""Forms of the community pages: sign-up, throttled sign-in, comments, submissions."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from dailypapers.community.markdown import MAX_BODY_CHARS
from dailypapers.core import ratelimit


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="For password resets; never shown to anyone.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        # Whether the address has an account is never said here: accounts.signup e-mails that address instead.
        return self.cleaned_data["email"].strip()


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refusing to check passwords after too many failures (per account and per address)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": "Too many failed sign-in attempts. Wait %(minutes)s minutes, or reset your password.",
    }

    def clean(self):
        from django.conf import settings

        username = self.cleaned_data.get("username") or ""
        ip = ratelimit.client_ip(self.request) if self.request else "unknown"
        if not ratelimit.login_reserve(username, ip):  # counted before the password is checked
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        cleaned = super().clean()
        ratelimit.login_succeeded(username, ip)
        return cleaned


class CommentForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Markdown and $math$ welcome"}),
        max_length=MAX_BODY_CHARS,
        label="Comment",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)


class SubmitForm(forms.Form):
    arxiv_id = forms.CharField(
        max_length=300,
        label="arXiv id or URL",
        widget=forms.TextInput(
            attrs={
                "placeholder": "2501.01234 or https://arxiv.org/abs/2501.01234",
                "autofocus": True,
            }
        ),
    )
