"""`{% load comments %}` and `{% comment_section record=record %}` (or
`production=production`): the comment section of a record's or a production's page.

Records' and productions' views may not import community, so their templates ask for it
here. It is each viewer's (who may edit, pin, reply), so it is never part of a cached
fragment: on a released production's page it renders after the cached parts. A
production's page shows one segment's comments with `?segment_comments=N`, and any
comment's thread first with `?comment=<id>` (where the permalink leads).
"""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from riffhouse.community.views_comments import SEGMENT_PARAM, query_int, section_context
from riffhouse.productions.models import Production
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
    if production is not None and production.status == "draft":
        return mark_safe("")  # likewise a draft production
    section: dict[str, Any] = section_context(
        request,
        record=record,
        production=production,
        segment_number=query_int(request.GET.get(SEGMENT_PARAM))
        if production is not None
        else None,
        focus_id=query_int(request.GET.get("comment")),
    )
    html = render_to_string("community/comments/_section.html#section", section, request=request)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
