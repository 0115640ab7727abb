"""Record forms: shape only; the services decide."""

from typing import Any

from django import forms

from riffhouse.accounts.forms import ServiceErrorMixin
from riffhouse.records import content
from riffhouse.records.models import Kind, Licence, RemixPolicy, Visibility


class RecordForm(ServiceErrorMixin, forms.Form):
    file = forms.FileField(
        required=False,
        label="File",
        help_text="An image, a song or sound, or a video. We recognise it by its content.",
    )
    cover = forms.FileField(
        required=False,
        label="Cover image",
        help_text="For music: a picture shown with it in lists. Square works best. Without "
        "one, it shows the art it remixes, or a cover drawn from its sound.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
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

    def record_create_fields(self) -> dict[str, Any]:
        """The content and description `record_create` takes from a valid form (the upload
        page's and the remix page's): the kind, recognised from the file's content (an
        ApplicationError if it is none we take), the text or the upload, and the details.
        Licence and visibility are the caller's to pass."""
        data = self.cleaned_data
        upload = content.Upload.of(data.get("file"))
        kind = content.record_detect_kind(upload=upload) if upload else Kind.TEXT
        return {
            "kind": kind,
            "title": data["title"],
            "description": data["description"],
            "tags": data["tags"],
            "language": data["language"],
            "remix_policy": data["remix_policy"],
            "body": data["body"] if kind == Kind.TEXT else None,
            "upload": upload,
            "cover": content.Upload.of(data.get("cover")),
        }


class RecordEditForm(RecordForm):
    remove_cover = forms.BooleanField(required=False, label="Remove the cover image")

    def __init__(
        self,
        *args: object,
        text: bool,
        audio: bool = False,
        has_cover: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not audio:
            del self.fields["cover"]
        if not has_cover:
            del self.fields["remove_cover"]
        if text:
            del self.fields["file"]
        else:
            del self.fields["body"]
            self.fields["file"].help_text = "Upload a new file to make a new version."
