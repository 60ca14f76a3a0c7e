"""Forms of the subscription pages: preferences, and an e-mail address for anonymous subscribers."""

from __future__ import annotations

import re

from django import forms

from dailypapers.digests.models import Subscription
from dailypapers.digests.services import Preferences


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.DAILY,
        widget=forms.RadioSelect,
        required=False,
    )
    include_trending = forms.BooleanField(required=False, initial=True, label="Top trending papers")
    include_daily = forms.BooleanField(required=False, initial=True, label="The daily page")
    include_recommendations = forms.BooleanField(
        required=False, initial=True, label="“You may like”: papers close to the ones you upvoted (signed-in users)"
    )
    searches = forms.CharField(
        required=False,
        max_length=2200,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Alert me about new papers matching (one search per line)",
        help_text="for example: salient weight quantization",
    )
    categories = forms.CharField(
        required=False,
        max_length=900,
        label="New papers in these arXiv categories",
        help_text="for example: cs.CL cs.LG",
    )

    def preferences(self) -> Preferences:
        data = self.cleaned_data
        if not data["frequency"]:  # a one-field form (e.g. the site footer's): the default digest
            return Preferences()
        return Preferences(
            frequency=data["frequency"],
            include_trending=data["include_trending"],
            include_daily=data["include_daily"],
            include_recommendations=data["include_recommendations"],
            searches=data["searches"].splitlines(),
            categories=re.split(r"[\s,;]+", data["categories"]),
        )

    @classmethod
    def initial_from(cls, prefs: Preferences) -> dict:
        return {
            "frequency": prefs.frequency,
            "include_trending": prefs.include_trending,
            "include_daily": prefs.include_daily,
            "include_recommendations": prefs.include_recommendations,
            "searches": "\n".join(prefs.searches),
            "categories": " ".join(prefs.categories),
        }


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(max_length=254, label="Your e-mail address")
    field_order = ["email"]
