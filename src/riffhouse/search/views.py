"""The search page: `/search/?q=&type=&kind=&tag=&licence=&remix_policy=`. A GET form that
works without JavaScript; with htmx the results follow the typing (the form asks for the
`results` fragment, debounced, and pushes the address so that Back returns to it)."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from riffhouse.core.errors import ApplicationError
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.core.models import RemixPolicy
from riffhouse.productions.models import ProductionKind
from riffhouse.records.models import Kind, Licence
from riffhouse.search import selectors

FILTERS = ("kind", "tag", "licence", "remix_policy")


@require_safe
def search_page(request: HtmxHttpRequest) -> HttpResponse:
    """Results for the query in the address, or an empty prompt without one."""
    type_ = request.GET.get("type", "records")
    if type_ not in selectors.TYPES:
        type_ = "records"
    params = {name: request.GET.get(name, "").strip() for name in FILTERS}
    # The controls of another type stay in the form; only the ones that apply are used.
    if type_ != "records":
        params = {"kind": params["kind"] if type_ == "productions" else ""} | dict.fromkeys(
            ("tag", "licence", "remix_policy"), ""
        )
    q = selectors.query_clean(q=request.GET.get("q", ""))
    page = None
    error = ""
    if q:
        try:
            page = selectors.search(
                viewer=request.user,
                q=q,
                type=type_,
                kind=params["kind"] or None,
                tag=params["tag"] or None,
                licence=params["licence"] or None,
                remix_policy=params["remix_policy"] or None,
                cursor=request.GET.get("cursor") or None,
            )
        except ApplicationError as exc:
            error = exc.detail
    more_url = ""
    if page is not None and page.next_cursor:
        query = {"q": q, "type": type_, **{k: v for k, v in params.items() if v}}
        more_url = f"?{urlencode({**query, 'cursor': page.next_cursor})}"
    context = {
        "q": q,
        "type": type_,
        "params": params,
        "page": page,
        "error": error,
        "more_url": more_url,
        "types": [("records", "Records"), ("members", "Members"), ("productions", "Productions")],
        "record_kinds": Kind.choices,
        "production_kinds": ProductionKind.choices,
        "licences": Licence.choices,
        "remix_policies": RemixPolicy.choices,
        "paging": bool(request.GET.get("cursor")),
    }
    # The "More" link asks for the next cards, the page's own controls for its results; the
    # header's box (on any page) for the whole page, of which htmx keeps the main area.
    if request.htmx and context["paging"]:
        return render(request, "search/search.html#more", context)
    if request.htmx and request.htmx.target == "search-body":
        # The count above the results is a live region: it changes in place (out of band).
        return render(request, "search/search.html#results", {**context, "oob": True})
    return render(request, "search/search.html", context)
