"""The remix form as pages show it: the record form with the sources' fieldset and its
picker, for lineage's remix page and for any other page that remixes a record (a
production's "Remix the seed"). Pages render it with the `lineage/remix.html` template,
which they may extend."""

from typing import Any

from django.http import HttpRequest

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage import rules, selectors
from riffhouse.lineage.forms import BaseSourceFormSet, RemixForm, SourceFormSet
from riffhouse.records.models import Record


def remix_forms(
    *, request: HttpRequest, viewer: User, source: Record
) -> tuple[RemixForm, BaseSourceFormSet]:
    """The remix form and its sources' formset for a remix of `source`, bound to the post:
    the licence proposed from the source, the member's default remix policy, and (before
    anything is posted) the source in the first row."""
    proposed = rules.proposed_licence(sources=[source]) or source.licence
    form = RemixForm(
        request.POST or None,
        request.FILES or None,
        initial={"licence": proposed, "remix_policy": viewer.default_remix_policy, "title": ""},
        uploader=viewer,
    )
    formset = SourceFormSet(
        request.POST or None,
        prefix="sources",
        initial=None if request.method == "POST" else [{"record": str(source.pk)}],
    )
    return form, formset


def remix_form_refusal(*, form: RemixForm, error: ApplicationError) -> None:
    """Show a service's refusal on the remix form: one about the sources above the form
    (the sources' rows are a formset), any other on its field."""
    if error.field == "sources":
        form.add_error(None, error.detail)
    else:
        form.add_service_error(error)


def sources_picked(
    *, viewer: User, formset: BaseSourceFormSet, held: dict[int, str] | None = None
) -> dict[str, Any]:
    """What the sources' fieldset shows: each row with the record it names as a card (None
    for a row still to fill in without JavaScript), and which sources a remix request holds
    ("pending" or "declined": they cannot be removed, decision 0017)."""
    chosen = selectors.source_candidates_get(viewer=viewer, record_ids=formset.record_ids())
    held = held or {}
    return {
        "formset": formset,
        "source_rows": [
            (form, chosen.get(form.record_id() or 0), held.get(form.record_id() or 0, ""))
            for form in formset.forms
        ],
        "chosen": chosen,
    }


def remix_form_context(
    *, viewer: User, source: Record, form: RemixForm, formset: BaseSourceFormSet
) -> dict[str, Any]:
    """What `lineage/remix.html` needs to show the form: the sources' rows and cards, the
    licences the chosen sources allow (offered on the form), the source, and whether its
    author approves each remix (`asks`)."""
    picked = sources_picked(viewer=viewer, formset=formset)
    form.offer_licences(
        rules.licence_options(sources=[c.record for c in picked["chosen"].values()])
    )
    return {
        **picked,
        "form": form,
        "source": source,
        "asks": rules.remix_needs_approval(source=source, remixer_id=viewer.pk),
    }
