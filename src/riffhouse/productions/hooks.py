"""Where the apps above productions take part in its writes (see `core/hooks.py`):
productions' services call these by name, inside the transaction of the change, so what
the registered functions write (community's notifications) exists exactly when the change
does; the apps register in their `AppConfig.ready()`."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from riffhouse.core.hooks import Hook

if TYPE_CHECKING:
    from riffhouse.accounts.models import User
    from riffhouse.productions.models import Production, Submission


def _after_submission_created(*, submission: "Submission") -> None:
    """A record was submitted (and, for someone else's `ask` record, its author asked:
    `submission.consent == "asked"`). Community: notify the producers, or the author whose
    consent is asked."""


def _after_submission_consent_decided(*, submission: "Submission") -> None:
    """The record's author approved or declined being submitted (`submission.consent`).
    Community: notify the member who submitted it (and, on approval, the producers)."""


def _after_submission_status_changed(*, submission: "Submission", actor: "User") -> None:
    """Producers moved a submission (`submission.status`: shortlisted, selected, declined, or
    back to submitted). Community: notify the contributor (and the record's author, when
    someone else submitted it)."""


def _after_submission_withdrawn(*, submission: "Submission", actor: "User") -> None:
    """`actor` (the member who submitted it, or the record's author) withdrew `submission`.
    Community: notify the producers, if they could see it (consent given or not needed)."""


def _after_producer_added(*, production: "Production", user: "User", actor: "User") -> None:
    """`actor` made `user` a co-producer. Community: notify them."""


def _after_release(*, production: "Production", credited_user_ids: Sequence[int]) -> None:
    """The release job finished: `production` is released and its credits stored. Community:
    notify every credited contributor."""


def _after_production_status_changed(*, production: "Production", actor: "User", was: str) -> None:
    """A producer moved `production` from `was` to `production.status` (opened it for
    submissions, closed them, ...). Community: tell its followers when it opens."""


def _after_change(*, production: "Production") -> None:
    """What people find of `production` changed: it was created, its title, theme, brief or
    kind edited, its status moved (opened, back to a draft, released, archived) or a need
    added, renamed or removed. Search: reindex it (or drop it while it is a draft)."""


after_change = Hook(_after_change)
after_submission_created = Hook(_after_submission_created)
after_submission_consent_decided = Hook(_after_submission_consent_decided)
after_submission_status_changed = Hook(_after_submission_status_changed)
after_submission_withdrawn = Hook(_after_submission_withdrawn)
after_producer_added = Hook(_after_producer_added)
after_release = Hook(_after_release)
after_production_status_changed = Hook(_after_production_status_changed)
