"""Template filters for record pages and cards."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from riffhouse.records.models import Record

register = template.Library()


@register.filter
def duration(seconds: object) -> str:
    """Seconds as a player shows them: "3:05", "1:02:09"; empty when unknown."""
    try:
        total = round(float(seconds))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(total, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.simple_tag
def record_cards(records: Iterable[Record]) -> SafeString:
    """`{% record_cards records %}`: the cards of loaded records (`records/_card.html`), from
    the cache where they are (`records.cards`)."""
    from riffhouse.records import cards  # the cards module loads templates: not at import

    return mark_safe("".join(cards.cards_for(records)))  # noqa: S308 -- our markup


@register.simple_tag
def record_card(record: Record) -> SafeString:
    """`{% record_card record %}`: one loaded record's card, from the cache if it is there
    (or already read with the others of the page by `{% record_cards_ahead %}`)."""
    from riffhouse.records import cards

    html = getattr(record, "card_html", None)
    return html if html is not None else cards.cards_for([record])[0]


@register.simple_tag
def record_cards_ahead(items: Iterable[Any], attribute: str = "") -> str:
    """`{% record_cards_ahead page.items %}` (or `feed.items "record"` for the record of each
    item) before a loop of `{% record_card %}`: the cards in one read of the cache instead
    of one per card. Shows nothing."""
    from riffhouse.records import cards

    cards.cards_attach(getattr(item, attribute, None) if attribute else item for item in items)
    return ""
