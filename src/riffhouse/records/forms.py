"""Record forms: shape only; the services decide.

The upload form asks what is shared (Writing, Art, Music, Film) and checks a file against
that choice first, so that a file of another kind is named as what it is ("This is a text
file, not music — paste it into Text or choose Writing"); the file's content decides what it
is, the choice is what the person meant. A file that passed its checks is kept when the form
comes back with other errors (`records.staging`): the page shows it as chosen and sends a
signed reference to it instead of the file."""

from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.forms.boundfield import BoundWidget

from riffhouse.accounts.forms import ServiceErrorMixin
from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.records import content, staging
from riffhouse.records.models import Kind, Licence, RemixPolicy, Visibility

KIND_HINTS: dict[str, str] = {
    Kind.TEXT: "Poems, stories, lyrics, scripts",
    Kind.IMAGE: "Drawings, paintings, photos, comics",
    Kind.AUDIO: "Songs, beats, sounds, readings",
    Kind.VIDEO: "Films, animations, clips",
}
# What the file picker offers for each kind (a hint to the browser; the content decides).
FILE_ACCEPT: dict[str, str] = {
    Kind.TEXT: ".txt,.md,.markdown,text/plain,text/markdown",
    Kind.IMAGE: "image/jpeg,image/png,image/webp,image/gif",
    Kind.AUDIO: "audio/*,.mp3,.wav,.flac,.ogg,.oga,.opus,.m4a",
    Kind.VIDEO: "video/*,.mp4,.m4v,.mov,.webm,.mkv,.ogv",
}
ANY_FILE = "any"
ANY_ACCEPT = ",".join(FILE_ACCEPT.values())


def _limit(kind: str) -> str:
    return f"up to {settings.RECORD_MAX_BYTES[kind] / settings.MB:,.0f} MB"


def file_help(kind: str) -> str:
    """The file field's help for a kind (ANY_FILE: before one is chosen)."""
    return {
        ANY_FILE: "A picture, a song or sound, or a film. We recognise it by its content.",
        Kind.TEXT: f"Or a Markdown or plain text file (UTF-8), {_limit(Kind.TEXT)}.",
        Kind.IMAGE: f"JPEG, PNG, WebP or GIF, {_limit(Kind.IMAGE)}.",
        Kind.AUDIO: f"MP3, WAV, FLAC, Ogg or M4A, {_limit(Kind.AUDIO)}.",
        Kind.VIDEO: f"MP4, MOV or WebM, {_limit(Kind.VIDEO)}.",
    }[kind]


@dataclass(frozen=True)
class KindOption:
    """One answer to "What are you sharing?", as the upload form shows it."""

    value: str
    radio: BoundWidget
    hint: str


class RecordForm(ServiceErrorMixin, forms.Form):
    """The upload page's form (and, with sources, the remix page's: lineage's RemixForm).
    `uploader` is the member sending it: a file is kept across errors only for them."""

    kind = forms.ChoiceField(
        required=False,
        choices=list(content.KIND_CHOICE_LABELS.items()),
        widget=forms.RadioSelect,
        label="What are you sharing?",
    )
    file = forms.FileField(required=False, label="File", help_text=file_help(ANY_FILE))
    # A signed reference to the file kept from an earlier try (`records.staging`); no length
    # limit, so that anything wrong with it is one message, on the file.
    staged_upload = forms.CharField(required=False, widget=forms.HiddenInput)
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
    title = forms.CharField(
        max_length=200, error_messages={"required": "Give your record a title."}
    )
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
    wants_collaborators = forms.BooleanField(
        required=False,
        label="I’d like collaborators on this",
        help_text="It appears in Discover’s “Needs collaborators” list.",
    )

    # Not marked "optional" (`_field.html`): the kind needs one of them, the file or the text.
    needed_fields: ClassVar[frozenset[str]] = frozenset({"file", "body"})
    # How a file of another kind is refused (`content.kind_mismatch`).
    where: ClassVar[content.Where] = "form"
    # The edit form's: the record's kind, which every new version keeps.
    fixed_kind: str | None = None

    def __init__(self, *args: Any, uploader: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.uploader = uploader
        self._upload: content.Upload | None = None
        self._upload_kind: str | None = None
        self._sent_now = False  # the upload came with this request (not kept from before)
        self._kept: staging.StagedUpload | None = None
        if "file" in self.fields:
            kind = self.fixed_kind or self["kind"].value()
            shown = kind if kind in FILE_ACCEPT else ANY_FILE
            self.fields["file"].widget.attrs["accept"] = FILE_ACCEPT.get(shown, ANY_ACCEPT)
            self.fields["file"].help_text = file_help(shown)

    @property
    def kind_options(self) -> list[KindOption]:
        options = []
        for radio in self["kind"]:
            value = str(radio.data["value"])
            options.append(KindOption(value=value, radio=radio, hint=KIND_HINTS[Kind(value)]))
        return options

    @property
    def file_hints(self) -> list[tuple[str, str, str]]:
        """(kind, accept, help) for each kind and for none: the page's script switches them."""
        return [
            (kind, FILE_ACCEPT.get(kind, ANY_ACCEPT), file_help(kind))
            for kind in (ANY_FILE, *FILE_ACCEPT)
        ]

    def _chosen_kind(self, data: dict[str, Any]) -> str | None:
        return self.fixed_kind or data.get("kind") or None

    def _sent_upload(self, data: dict[str, Any]) -> content.Upload | None:
        """The file sent now, else the one kept from an earlier try (when its reference is
        the uploader's and still valid; a form error otherwise)."""
        if data.get("file"):
            self._sent_now = True
            return content.Upload.of(data["file"])
        reference = data.get("staged_upload")
        if not reference or self.uploader is None:
            return None
        try:
            self._kept, upload = staging.staged_upload_get(owner=self.uploader, reference=reference)
        except ApplicationError as error:
            self.add_service_error(error)
            return None
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = self._chosen_kind(data)
        upload = self._sent_upload(data)
        body = (data.get("body") or "").strip()
        if upload is not None:
            try:
                self._upload_kind = content.upload_check(
                    upload=upload, kind=chosen, where=self.where
                )
            except ApplicationError as error:
                self.add_service_error(error)
            else:
                self._upload = upload
            if body:
                raise forms.ValidationError("Upload a file or write text — not both in one record.")
        elif "file" not in self.errors and self.fixed_kind is None:
            if chosen in FILE_ACCEPT and chosen != Kind.TEXT:
                self.add_error("file", f"Choose {content.a_file(chosen)} to upload.")
            elif not body and chosen == Kind.TEXT:
                self.add_error("body", "Write something, or choose a text file.")
            elif not body:
                self.add_error("kind", "Choose what you are sharing, then add it.")
        return data

    @property
    def upload(self) -> content.Upload | None:
        """The file of a valid form: sent now, or kept from an earlier try."""
        return self._upload

    @cached_property
    def kept_upload(self) -> staging.StagedUpload | None:
        """The file to show as chosen when this form comes back with errors: the one kept
        from an earlier try, or the one sent now, kept here if it passed its checks (a file
        that was refused is chosen again)."""
        if self._kept is not None:
            return self._kept
        if (
            self._sent_now
            and self._upload is not None
            and self._upload_kind is not None
            and self.uploader is not None
            and "file" not in self.errors
        ):
            return staging.staged_upload_put(
                owner=self.uploader, upload=self._upload, kind=self._upload_kind
            )
        return None

    def record_create_fields(self) -> dict[str, Any]:
        """The content and description `record_create` takes from a valid form (the upload
        page's and the remix page's): the kind (the file's, checked against the choice), the
        text or the upload, and the details. Licence and visibility are the caller's."""
        data = self.cleaned_data
        kind = self._upload_kind or Kind.TEXT
        return {
            "kind": kind,
            "title": data["title"],
            "description": data["description"],
            "tags": data["tags"],
            "language": data["language"],
            "remix_policy": data["remix_policy"],
            "body": data["body"] if kind == Kind.TEXT else None,
            "upload": self._upload,
            "cover": content.Upload.of(data.get("cover")),
            "wants_collaborators": bool(data.get("wants_collaborators")),
        }


class RecordEditForm(RecordForm):
    """A record's edit page: its kind is set, so it takes text (a text record's, which cannot
    be empty) or a new file of the same kind (optional: without one the file stays)."""

    needed_fields: ClassVar[frozenset[str]] = frozenset()
    where: ClassVar[content.Where] = "version"

    remove_cover = forms.BooleanField(required=False, label="Remove the cover image")

    def __init__(self, *args: Any, kind: str, has_cover: bool = False, **kwargs: Any) -> None:
        self.fixed_kind = kind
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        if kind != Kind.AUDIO:
            del self.fields["cover"]
        if not has_cover:
            del self.fields["remove_cover"]
        if kind == Kind.TEXT:
            del self.fields["file"]
            del self.fields["staged_upload"]
            self.fields["body"].required = True
            self.fields["body"].error_messages["required"] = (
                "Write something: a record's text cannot be empty."
            )
        else:
            del self.fields["body"]
            self.fields["file"].help_text = f"A new file makes a new version. {file_help(kind)}"
