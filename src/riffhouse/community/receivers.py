"""How community reacts to what lineage tells it (connected in `apps.py`). Each receiver
hands over to one service; they run inside the sender's transaction, so a notification
exists exactly when the change it describes does."""

from typing import Any

from django.dispatch import receiver

from riffhouse.community import services
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.lineage.signals import remix_created, remix_request_decided, remix_requested


@receiver(remix_created, dispatch_uid="community.notify_remix_created")
def on_remix_created(sender: type[SourceLink], *, link: SourceLink, **kwargs: Any) -> None:
    services.notify_remix_created(link=link)


@receiver(remix_requested, dispatch_uid="community.notify_remix_requested")
def on_remix_requested(sender: type[RemixRequest], *, request: RemixRequest, **kwargs: Any) -> None:
    # A sender that knows the page's address (scheme and host) may pass it as `base_url`
    # for the email's link.
    services.notify_remix_requested(request=request, base_url=kwargs.get("base_url"))


@receiver(remix_request_decided, dispatch_uid="community.notify_remix_request_decided")
def on_remix_request_decided(
    sender: type[RemixRequest], *, request: RemixRequest, **kwargs: Any
) -> None:
    services.notify_remix_request_decided(request=request)
