"""Production forms: start or edit a production, a need, a co-producer. The services check
everything again; these give the page its fields and its first, friendly errors."""

from typing import Any

from django import forms

from riffhouse.accounts.forms import ServiceErrorMixin
from riffhouse.lineage.forms import record_ref
from riffhouse.productions.models import ProductionKind
from riffhouse.records.models import Kind

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
COVER_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
# The kinds a need asks for, in the words people use for them.
NEED_KINDS = [
    (Kind.TEXT.value, "Writing"),
    (Kind.IMAGE.value, "Art"),
    (Kind.AUDIO.value, "Music"),
    (Kind.VIDEO.value, "Film"),
]


class ProductionForm(ServiceErrorMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=ProductionKind.choices,
        initial=ProductionKind.EPISODE,
        help_text="An episode mixes pieces around one theme; an album is music, a film is film.",
    )
    title = forms.CharField(max_length=200)
    theme = forms.CharField(
        max_length=60, required=False, help_text="One or two words, such as “Space”."
    )
    brief = forms.CharField(
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you are making and what you ask of members. Markdown works.",
    )
    submission_deadline = forms.DateTimeField(
        required=False,
        label="Submission deadline",
        widget=_DATETIME,
        help_text="In UTC. Leave empty for no deadline.",
    )
    cover = forms.FileField(
        required=False,
        label="Cover image",
        help_text="A JPEG, PNG, WebP or GIF. It is resized and its metadata removed.",
        widget=forms.ClearableFileInput(attrs={"accept": COVER_ACCEPT}),
    )
    remove_cover = forms.BooleanField(required=False, label="Remove the cover")

    def __init__(self, *args: Any, has_cover: bool = False, released: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not has_cover:
            del self.fields["remove_cover"]
        if released:
            # A released production keeps what it was released with; its theme may be fixed.
            for name in list(self.fields):
                if name != "theme":
                    del self.fields[name]


class NeedForm(ServiceErrorMixin, forms.Form):
    title = forms.CharField(
        max_length=200, label="What you need", help_text="Such as “A song about leaving Earth”."
    )
    description = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    kinds = forms.MultipleChoiceField(
        choices=NEED_KINDS,
        widget=forms.CheckboxSelectMultiple,
        label="Kinds of work",
        error_messages={"required": "Choose at least one kind of work."},
    )
    wanted = forms.IntegerField(
        min_value=1, max_value=500, initial=1, label="How many pieces you want"
    )
    deadline = forms.DateTimeField(
        required=False,
        widget=_DATETIME,
        help_text="In UTC. Leave empty to use the production's deadline.",
    )
    seed = forms.CharField(
        required=False,
        max_length=300,
        label="Seed record to remix — its number or its address",
        help_text="Such as 12 or https://…/records/12/. Members can remix it with one click.",
        widget=forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false"}),
    )

    def clean_seed(self) -> int | None:
        raw = (self.cleaned_data.get("seed") or "").strip()
        if not raw:
            return None
        record_id = record_ref(raw)
        if record_id is None:
            raise forms.ValidationError("Give the record's number or its address.")
        return record_id


class ProducerAddForm(ServiceErrorMixin, forms.Form):
    username = forms.CharField(
        max_length=30,
        label="Add a co-producer",
        help_text="Their username, such as cleo.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lstrip("@")
