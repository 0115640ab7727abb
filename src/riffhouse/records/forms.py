"""Record forms: shape only; the services decide."""

from django import forms

from riffhouse.accounts.forms import ServiceErrorMixin
from riffhouse.records.models import Licence, RemixPolicy, Visibility


class RecordForm(ServiceErrorMixin, forms.Form):
    file = forms.FileField(
        required=False,
        label="File",
        help_text="An image, a song or sound, or a video. We recognise it by its content.",
    )
    body = forms.CharField(
        required=False,
        label="Text",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Poems, stories, lyrics, scripts. Markdown works; line breaks are kept.",
    )
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.CharField(
        required=False, max_length=500, help_text="Separate with commas: space, lullaby, synth."
    )
    language = forms.CharField(
        required=False,
        max_length=16,
        help_text="A code such as en, es, pt-BR. Leave empty for none.",
    )
    licence = forms.ChoiceField(choices=Licence.choices, initial=Licence.RIFFHOUSE)
    remix_policy = forms.ChoiceField(
        choices=RemixPolicy.choices,
        initial=RemixPolicy.OPEN,
        label="Remixing",
        help_text="Whether others may build on this record.",
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.PUBLISHED)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("file") and (data.get("body") or "").strip():
            raise forms.ValidationError("Upload a file or write text — not both in one record.")
        return data


class RecordEditForm(RecordForm):
    def __init__(self, *args: object, text: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if text:
            del self.fields["file"]
        else:
            del self.fields["body"]
            self.fields["file"].help_text = "Upload a new file to make a new version."
