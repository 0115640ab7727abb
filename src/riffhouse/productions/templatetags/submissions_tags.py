"""Template helpers of the submission pages."""

from django import template

from riffhouse.productions.submissions import MOVES

register = template.Library()


@register.filter
def lookup(mapping: dict[object, object] | None, key: object) -> object:
    """`{{ thumbnails|lookup:s.record_version_id }}`: a dict's value by key (None if absent)."""
    return (mapping or {}).get(key)


@register.filter
def moves(status: str) -> set[str]:
    """The statuses a producer can move a submission in `status` to in one action."""
    return MOVES.get(status, set())


@register.filter
def total(board: object, need_id: int | None) -> int:
    """`{{ board|total:need.pk }}`: how many submissions a need holds on the board."""
    return board.total(need_id)  # type: ignore[attr-defined,no-any-return]
