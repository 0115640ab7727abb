"""Moderation forms. The services check everything again; these give pages their fields."""

from django import forms

from riffhouse.accounts.forms import ServiceErrorMixin
from riffhouse.moderation.models import ModerationAction, ReasonCategory


class ReportForm(ServiceErrorMixin, forms.Form):
    category = forms.ChoiceField(
        choices=ReasonCategory.choices, widget=forms.RadioSelect, label="What is wrong?"
    )
    text = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Tell the moderators more",
        help_text="What you saw and why it breaks the rules. Only moderators read it.",
    )


class ActionForm(ServiceErrorMixin, forms.Form):
    kind = forms.ChoiceField(choices=ModerationAction.Kind.choices, label="Action")
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The member reads this: say what broke which rule.",
    )
    until = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label="Suspended until",
        help_text="For a suspension. Empty: until a moderator lifts it.",
    )


class DismissForm(ServiceErrorMixin, forms.Form):
    note = forms.CharField(max_length=2000, required=False, label="Note (for moderators)")


class UndoForm(ServiceErrorMixin, forms.Form):
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Why undo it?"
    )


class AppealForm(ServiceErrorMixin, forms.Form):
    text = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Your appeal",
        help_text="Why the moderators should look again. You can appeal once.",
    )


class DecideForm(ServiceErrorMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("uphold", "Uphold: the action stands"), ("grant", "Grant: undo the action")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The member reads this.",
    )
