"""Where the apps above and beside lineage take part in its writes (see `core/hooks.py`):
lineage's services call these by name, inside the transaction of the change, so whatever
the registered functions write (community's notifications) exists exactly when the change
does; the apps register in their `AppConfig.ready()`."""

from typing import TYPE_CHECKING

from riffhouse.core.hooks import Hook

if TYPE_CHECKING:
    from riffhouse.lineage.models import RemixRequest, SourceLink


def _after_remix_created(*, link: "SourceLink") -> None:
    """Someone published work built on a source they do not own: called once per source
    link, when the remix is published (at creation, or on the approval that publishes it,
    or when a published record gains the source). Community: notify the source's author."""


def _after_remix_requested(*, request: "RemixRequest", base_url: str | None = None) -> None:
    """Someone asks a source's author to approve a remix. `base_url` (scheme and host), when
    the caller knows the page's address, is for links in emails. Community: notify and
    email the source's author."""


def _after_remix_request_decided(*, request: "RemixRequest") -> None:
    """The source's author approved or declined (`request.status`,
    `request.response_note`). Community: notify the requester."""


after_remix_created = Hook(_after_remix_created)
after_remix_requested = Hook(_after_remix_requested)
after_remix_request_decided = Hook(_after_remix_request_decided)
