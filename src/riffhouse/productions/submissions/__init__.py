"""Submissions: records offered to a production's needs (or to the production as a whole),
the producers' decisions on them, and the consent of a record's author when someone else
submits their `ask` record (decision 0023).

Who may submit what: your own published record; someone else's published record when its
remix policy is open (consent not needed) or `ask` (its author is asked, and producers do
not see the submission until they approve); never someone else's closed record. Always to
an open production, before the need's (or the production's) deadline, once per need.

The moves: producers take a submission submitted → shortlisted → selected or declined and
back (`rules.MOVES`); the member who submitted it, or the record's author, withdraws it before
it is selected. Every write leaves an audit row (target: the submission, which is also its
history) and calls a `hooks` function, which community turns into a notification.

The package: `rules` (the policy and the moves, shared by the services and the pages),
`services` (writes), `selectors` (reads). Import from here: every public name is re-exported.
"""

from riffhouse.productions.submissions.rules import (
    BOARD_STATUSES,
    CONSENTED,
    MOVES,
    WITHDRAWABLE,
    submission_check_open,
    submission_consent_for,
    submission_move_refusal,
    submission_moves,
    submissions_frozen_refusal,
)
from riffhouse.productions.submissions.selectors import (
    PER_COLUMN,
    PER_PAGE_MAX,
    THUMB_LABELS,
    Board,
    Column,
    HistoryEntry,
    SubmissionPage,
    board_card_get,
    consent_requests,
    curation_board,
    member_submissions,
    my_records_for_need,
    my_records_to_submit,
    my_submission_count,
    production_submissions,
    submission_can_view,
    submission_counts,
    submission_get_visible,
    submission_history,
    submissions_selected,
    thumbnails_for,
)
from riffhouse.productions.submissions.services import (
    MESSAGE_MAX,
    pending_submit,
    submission_consent_decide,
    submission_create,
    submission_decide,
    submission_pending_create,
    submission_withdraw,
)

__all__ = [
    "BOARD_STATUSES",
    "CONSENTED",
    "MESSAGE_MAX",
    "MOVES",
    "PER_COLUMN",
    "PER_PAGE_MAX",
    "THUMB_LABELS",
    "WITHDRAWABLE",
    "Board",
    "Column",
    "HistoryEntry",
    "SubmissionPage",
    "board_card_get",
    "consent_requests",
    "curation_board",
    "member_submissions",
    "my_records_for_need",
    "my_records_to_submit",
    "my_submission_count",
    "pending_submit",
    "production_submissions",
    "submission_can_view",
    "submission_check_open",
    "submission_consent_decide",
    "submission_consent_for",
    "submission_counts",
    "submission_create",
    "submission_decide",
    "submission_get_visible",
    "submission_history",
    "submission_move_refusal",
    "submission_moves",
    "submission_pending_create",
    "submission_withdraw",
    "submissions_frozen_refusal",
    "submissions_selected",
    "thumbnails_for",
]
