"""What lineage tells the apps above and beside it (community's notifications), sent inside
the transaction of the change, so a notification exists exactly when its change does.

- `remix_created(sender=SourceLink, link=SourceLink)`: someone published work built on a
  source they do not own (sent once per source link, when the remix is published — at
  creation, or on the approval that publishes it).
- `remix_requested(sender=RemixRequest, request=RemixRequest)`: someone asks a source's
  author to approve a remix.
- `remix_request_decided(sender=RemixRequest, request=RemixRequest)`: the source's author
  approved or declined (`request.status`, `request.response_note`).
"""

from django.dispatch import Signal

remix_created = Signal()
remix_requested = Signal()
remix_request_decided = Signal()
