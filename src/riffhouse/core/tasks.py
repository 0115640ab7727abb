"""Jobs that belong to no domain: sending email."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task(queue_name="notifications")
def email_send_task(*, to: list[str], subject: str, body: str, html: str | None = None) -> int:
    """Send one email. Runs on the notifications queue so a slow mail server never holds up
    a page."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
