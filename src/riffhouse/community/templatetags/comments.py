"""`{% load comments %}` and `{% comment_section record=record %}` (or
`production=production`): where a record's or a production's page shows its comments.

Records' and productions' views may not import community, so their templates ask for it
here. The section is each viewer's (who may edit, pin, reply), so the tag puts a
placeholder on the page that htmx fills from community's view (`community:record_comments`
and `community:production_comments`): the page spends no query on it and a released
production's cached fragment stays the same for everyone. Without JavaScript the
placeholder's link opens the same section on a page of its own. The page's
`?segment_comments=N` (a production: one segment's comments) and `?comment=<id>` (where a
permalink leads: that thread first) are passed on.
"""

from urllib.parse import urlencode

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from riffhouse.community.views_comments import SEGMENT_PARAM, query_int
from riffhouse.productions.models import Production, ProductionStatus
from riffhouse.records.models import Record

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_section(
    context: template.Context,
    *,
    record: Record | None = None,
    production: Production | None = None,
) -> SafeString:
    request = context.get("request")
    if request is None or (record is None) == (production is None):
        return mark_safe("")
    if record is not None and not record.is_public:
        return mark_safe("")  # a draft or a tombstone takes no comments
    if production is not None and production.status == ProductionStatus.DRAFT:
        return mark_safe("")  # likewise a draft production
    params: dict[str, int] = {}
    segment_base = ""
    if record is not None:
        url = reverse("community:record_comments", args=[record.pk])
    else:
        assert production is not None
        url = reverse("community:production_comments", args=[production.pk])
        segment = query_int(request.GET.get(SEGMENT_PARAM))
        if segment:
            params["segment"] = segment
        if production.is_released:
            segment_base = f"{request.path}?{SEGMENT_PARAM}="
    focus = query_int(request.GET.get("comment"))
    if focus:
        params["comment"] = focus
    query = f"?{urlencode(params)}" if params else ""
    html = render_to_string(
        "community/comments/_placeholder.html",
        {
            "load_url": url + query,
            "page_url": url + query + "#comments",
            "segment_base": segment_base,
        },
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
