"""Record cards (`records/_card.html`) rendered once and kept in the cache (decision 0041).

A card shows only what everyone sees of a record — its kind, title, author's name, the live
version's picture, length or excerpt, its cover art, how many remixes it has — never anything
of the viewer's, so one rendering serves every viewer, logged in or out: a fragment
(`core.fragments`), kept under the `public` generation and the card template's digest.

Lists that know only their records' ids (`/records/`) ask `cards_for_ids`: the cached cards
cost no query, and only the missing ones are loaded (`selectors.records_for_cards`) and
rendered. Pages that have the records already (home, feeds, search) use `{% record_cards %}`
and `{% record_card %}` (the `records` template library), which render only the missing.
"""

from collections.abc import Iterable, Sequence

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from riffhouse.core.fragments import FRAGMENT_TTL, fragment_key, fragment_render
from riffhouse.records import selectors
from riffhouse.records.models import Record

CARD_TEMPLATES = ("records/_card.html", "core/_icon_music.html")  # the card and what it includes


def card_key(record_id: int) -> str:
    return fragment_key("card", record_id, templates=CARD_TEMPLATES)


def card_render(record: Record) -> SafeString:
    """The card of a record loaded as `selectors.records_for_cards` loads it (or
    `record_feed`), rendered now: what the cache keeps."""
    return fragment_render(CARD_TEMPLATES[0], {"record": record})


def cards_for(records: Iterable[Record]) -> list[SafeString]:
    """The cards of records already loaded, in their order: from the cache, the others
    rendered and stored."""
    records = list(records)
    if not records:
        return []
    keys = {record.pk: card_key(record.pk) for record in records}
    found: dict[str, SafeString] = cache.get_many(list(keys.values()))
    missing = {
        keys[record.pk]: card_render(record) for record in records if keys[record.pk] not in found
    }
    if missing:
        cache.set_many(missing, FRAGMENT_TTL)
        found.update(missing)
    return [mark_safe(found[keys[record.pk]]) for record in records]  # noqa: S308 -- our markup


def cards_for_ids(record_ids: Sequence[int]) -> list[SafeString]:
    """The cards of `record_ids`, in that order: from the cache (no query), the missing ones
    loaded in one go (`selectors.records_for_cards`), rendered and stored. The caller has
    checked that the records may be listed."""
    if not record_ids:
        return []
    keys = {record_id: card_key(record_id) for record_id in record_ids}
    found: dict[str, SafeString] = cache.get_many(list(keys.values()))
    absent = [record_id for record_id in record_ids if keys[record_id] not in found]
    if absent:
        missing = {
            keys[record.pk]: card_render(record)
            for record in selectors.records_for_cards(record_ids=absent)
        }
        cache.set_many(missing, FRAGMENT_TTL)
        found.update(missing)
    # A record deleted between the two reads has no card: it is left out.
    return [mark_safe(found[keys[i]]) for i in record_ids if keys[i] in found]  # noqa: S308 -- our markup


def cards_attach(records: Iterable[object]) -> None:
    """Read the cards of records a page shows one by one (`{% record_card %}` in a loop, among
    other things) in one read of the cache, and attach each as `record.card_html`, which
    `{% record_card %}` shows. Anything that is not a record is passed over."""
    shown = [record for record in records if isinstance(record, Record)]
    for record, html in zip(shown, cards_for(shown), strict=True):
        record.card_html = html  # type: ignore[attr-defined]
