"""Email is written from templates and sent by a job (core.tasks.email_send_task)."""

from typing import Any

from django.template.loader import render_to_string

from riffhouse.core.tasks import email_send_task


def email_enqueue(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` and queue the message. Called
    inside the caller's transaction: with the database queue the job commits with the data."""
    subject = "".join(render_to_string(f"{template}_subject.txt", context).splitlines()).strip()
    body = render_to_string(f"{template}.txt", context)
    email_send_task.enqueue(to=[to], subject=subject, body=body)
