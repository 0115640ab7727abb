"""Lineage forms: the sources of a remix (a formset of rows, chosen with the source picker),
on top of the record form."""

import re
from typing import Any

from django import forms

from riffhouse.accounts.forms import ServiceErrorMixin
from riffhouse.lineage.rules import LicenceOptions
from riffhouse.lineage.services import SourceSpec
from riffhouse.records.forms import RecordForm
from riffhouse.records.models import Licence

_RECORD_REF = re.compile(r"(?:/records/)?(\d+)/?(?:[?#].*)?$")


def record_ref(raw: object) -> int | None:
    """A record's id from its number or its address, such as https://…/records/12/."""
    match = _RECORD_REF.search(str(raw or "").strip())
    return int(match.group(1)) if match else None


class SourceForm(forms.Form):
    """One source: a record (its id; typed as its number or its address where the picker does
    not run), what was used, and for music or film optionally the part used, in seconds."""

    record = forms.CharField(
        required=False,
        max_length=300,
        label="Record — its number or its address",
        help_text="Such as 12 or https://…/records/12/",
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
        record_id = record_ref(raw)
        if record_id is None:
            raise forms.ValidationError("Give the record's number or its address.")
        return record_id

    def record_id(self) -> int | None:
        """The record this row names, as typed or chosen (before validation)."""
        return record_ref(self["record"].value())

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


class BaseSourceFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def record_ids(self) -> list[int]:
        """The records the rows name, in order: what the picker shows as chosen cards."""
        return [rid for form in self.forms if (rid := form.record_id()) is not None]


# Rows removed in the browser are simply gone from the post (a missing row is an empty one);
# DELETE is the way to remove a row without JavaScript.
SourceFormSet: type[BaseSourceFormSet] = forms.formset_factory(  # type: ignore[assignment]
    KeptSourceForm,
    formset=BaseSourceFormSet,
    extra=1,
    max_num=20,
    absolute_max=20,
    can_delete=True,
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

    def offer_licences(self, options: LicenceOptions) -> None:
        """Show only the licences the chosen sources allow, the proposed one first, with the
        reason as the field's help. Only for display, after validation: on saving the
        services check the licence against the sources and say what is wrong in words."""
        field = self.fields["licence"]
        assert isinstance(field, forms.ChoiceField)
        labels = dict(Licence.choices)
        field.choices = [(code, labels[code]) for code in options.codes]
        field.help_text = options.reason or "Your sources allow any licence."


class SourcesEditForm(ServiceErrorMixin, forms.Form):
    message = RemixForm.base_fields["message"]
