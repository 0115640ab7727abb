"""Form field helpers for `_field.html`, the one template every form's fields go through."""

from django import template
from django.forms import BoundField, RadioSelect, Select

register = template.Library()


@register.filter
def optional(field: BoundField) -> bool:
    """Whether a field is marked "optional": only when leaving it empty is really fine.

    Not when it is required; not when its form lists it in `needed_fields` (not required by
    itself, but needed in some cases, such as a record's file or text, one of which its kind
    needs); not for a checkbox (unticked is an answer) or a choice that always has a value (a
    select or radio buttons without an empty choice)."""
    spec = field.field
    if spec.required or field.name in getattr(field.form, "needed_fields", ()):
        return False
    widget = spec.widget
    if getattr(widget, "input_type", None) in {"checkbox", "hidden"}:
        return False
    if isinstance(widget, Select | RadioSelect):
        return any(value in ("", None) for value, _label in getattr(spec, "choices", ()))
    return True
