"""Lineage forms: the sources of a remix (a formset of rows), on top of the record form."""

import re
from typing import Any

from django import forms

from riffhouse.accounts.forms import ServiceErrorMixin
from riffhouse.lineage.services import SourceSpec
from riffhouse.records.forms import RecordForm

_RECORD_REF = re.compile(r"(?:/records/)?(\d+)/?(?:[?#].*)?$")


class SourceForm(forms.Form):
    """One source: a record (its id or its address), what was used, and for music or film
    optionally the part used, in seconds."""

    record = forms.CharField(
        required=False,
        max_length=300,
        label="Record",
        help_text="Its number or its address, such as https://…/records/12/",
        widget=forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false"}),
    )
    usage = forms.CharField(
        required=False,
        max_length=80,
        label="What you used",
        help_text="Lyrics, melody, character design…",
    )
    start = forms.DecimalField(
        required=False, min_value=0, max_digits=9, decimal_places=3, label="From (s)"
    )
    end = forms.DecimalField(
        required=False, min_value=0, max_digits=9, decimal_places=3, label="To (s)"
    )

    def clean_record(self) -> int | None:
        raw = (self.cleaned_data.get("record") or "").strip()
        if not raw:
            return None
        match = _RECORD_REF.search(raw)
        if match is None:
            raise forms.ValidationError("Give the record's number or its address.")
        return int(match.group(1))

    def spec(self) -> SourceSpec | None:
        data = self.cleaned_data
        if not data or data.get("record") is None or data.get("DELETE"):
            return None
        start, end = data.get("start"), data.get("end")
        return SourceSpec(
            record_id=data["record"],
            version=data.get("version"),
            usage=data.get("usage") or "",
            start_ms=int(start * 1000) if start is not None else None,
            end_ms=int(end * 1000) if end is not None else None,
        )


class KeptSourceForm(SourceForm):
    """A row for a source a record already has: it keeps the version it was linked at."""

    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


SourceFormSet = forms.formset_factory(
    KeptSourceForm, extra=1, max_num=20, absolute_max=20, can_delete=True
)


def source_specs(formset: Any) -> list[SourceSpec]:
    return [spec for form in formset.forms if (spec := form.spec()) is not None]


class RemixForm(RecordForm):
    message = forms.CharField(
        required=False,
        max_length=2000,
        label="Message to the authors you ask",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For sources whose authors approve each remix: say what you have in mind.",
    )


class SourcesEditForm(ServiceErrorMixin, forms.Form):
    message = RemixForm.base_fields["message"]
