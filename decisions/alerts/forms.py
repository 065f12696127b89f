from __future__ import annotations

from django import forms

from decisions.alerts.models import Frequency


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how often.",
            "invalid_choice": "Choose daily or weekly.",
        },
    )


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=Frequency.choices)
