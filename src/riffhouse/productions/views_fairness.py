"""The fairness page (`/productions/<id>/fairness/`): the report with its bar chart, the rule
in plain words, the producers' rules and whether each holds; for producers, the form that
sets the rules and the Release button (once curating; while open, the button that closes
submissions instead).

Once released the page is public and reads the report stored at release
(`Production.released_report`); before, it is its producers' only (everyone else gets a
404: an unreleased lineup is theirs) and computed live.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from riffhouse.accounts.forms import ServiceErrorMixin
from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.productions.fairness import (
    MAX_MIN_CONTRIBUTORS,
    MAX_SOURCE_SHARE_PERCENT,
    fairness_report,
    fairness_rules_set,
)
from riffhouse.productions.models import Production
from riffhouse.productions.release import production_release
from riffhouse.productions.selectors import is_producer, production_get_visible

SHOWN_CONTRIBUTORS = 100  # rows of the chart; the rest are counted
# A refused release, kept in the session for the fairness page's next GET (post-redirect-get:
# reloading the page shows the report, it does not ask to release again).
REFUSAL_KEY = "productions:release_refused"


class FairnessRulesForm(ServiceErrorMixin, forms.Form):
    max_contributor_percent = forms.IntegerField(
        label="Most one contributor may hold (%)",
        required=False,
        min_value=1,
        max_value=100,
        help_text="Leave empty for no such rule. For example 25.",
    )
    max_producers_percent = forms.IntegerField(
        label="Most producers and staff may hold together (%)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Leave empty for no such rule. For example 20.",
    )
    min_contributors = forms.IntegerField(
        label="Fewest different contributors",
        required=False,
        min_value=1,
        max_value=MAX_MIN_CONTRIBUTORS,
        help_text="Leave empty for no such rule.",
    )
    source_share_percent = forms.IntegerField(
        label="Share that flows to the works a segment stands on (%)",
        min_value=0,
        max_value=MAX_SOURCE_SHARE_PERCENT,
        help_text="The segment's author keeps the rest.",
    )


def clock(ms: int) -> str:
    """A runtime as people read it: 4:05, or 1:02:09."""
    seconds = round(ms / 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def _form_for(production: Production) -> FairnessRulesForm:
    return FairnessRulesForm(
        initial={
            "max_contributor_percent": production.rule_max_contributor_percent,
            "max_producers_percent": production.rule_max_producers_percent,
            "min_contributors": production.rule_min_contributors,
            "source_share_percent": production.source_share_percent,
        }
    )


def _production(request: HttpRequest, production_id: int) -> tuple[Production, bool]:
    """The production if the viewer may see its report: anyone once released, its producers
    before (anyone else: 404)."""
    try:
        production = production_get_visible(viewer=request.user, production_id=production_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    producing = is_producer(viewer=request.user, production=production)
    if not producing and not (production.is_released and production.released_report):
        raise Http404("No fairness report here.")
    return production, producing


def _render(
    request: HttpRequest,
    production: Production,
    producing: bool,
    *,
    form: FairnessRulesForm | None = None,
    release_error: str = "",
    release_code: str = "",
    status: int = 200,
) -> HttpResponse:
    released = production.is_released and production.released_report is not None
    report: dict[str, Any] = (
        production.released_report  # type: ignore[assignment]
        if released
        else fairness_report(production=production).as_dict()
    )
    may_edit = producing and not released and production.release_requested_at is None
    contributors = report["contributors"]
    top = max((c["percent"] for c in contributors), default=0.0) or 1.0
    context = {
        "production": production,
        "report": report,
        "released": released,
        "producing": producing,
        "may_edit": may_edit,
        "form": form or (_form_for(production) if may_edit else None),
        "release_error": release_error,
        "release_code": release_code,
        "rows": [
            {**c, "clock": clock(c["runtime_ms"]), "bar": round(c["percent"] / top * 100, 2)}
            for c in contributors[:SHOWN_CONTRIBUTORS]
        ],
        "more": max(0, len(contributors) - SHOWN_CONTRIBUTORS),
        "runtime": clock(report["runtime_ms"]),
    }
    return render(request, "productions/fairness.html", context, status=status)


@require_http_methods(["GET", "POST"])
def fairness(request: HttpRequest, production_id: int) -> HttpResponse:
    """GET: the report. POST (producers): set the rules and the source share."""
    production, producing = _production(request, production_id)
    if request.method == "GET":
        refusal = request.session.pop(REFUSAL_KEY, None)  # shown once (no write if none)
        if not isinstance(refusal, dict) or refusal.get("production") != production.pk:
            refusal = {}
        return _render(
            request,
            production,
            producing,
            release_error=str(refusal.get("detail", "")),
            release_code=str(refusal.get("code", "")),
        )
    if not producing:
        raise Http404("No fairness report here.")
    form = FairnessRulesForm(request.POST)
    if form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        try:
            fairness_rules_set(actor=user, production=production, **form.cleaned_data)
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "The rules are saved.")
            return redirect("productions:fairness", production_id=production.pk)
    return _render(request, production, producing, form=form, status=400)


@login_required
@require_POST
def release(request: HttpRequest, production_id: int) -> HttpResponse:
    """The Release button: the release job starts, or the refusal (the broken rule named) is
    shown on the fairness page it redirects to."""
    production, producing = _production(request, production_id)
    if not producing:
        raise Http404("No fairness report here.")
    user: User = request.user  # type: ignore[assignment]
    try:
        production = production_release(actor=user, production=production)
    except ApplicationError as error:
        request.session[REFUSAL_KEY] = {
            "production": production.pk,
            "detail": error.detail,
            "code": error.code,
        }
        return redirect(reverse("productions:fairness", kwargs={"production_id": production.pk}))
    production.refresh_from_db()
    if production.is_released:
        messages.success(request, f"“{production.title}” is released.")
    else:
        messages.success(request, "Releasing: the credits are being stored. This takes a moment.")
    return redirect(reverse("productions:fairness", kwargs={"production_id": production.pk}))
