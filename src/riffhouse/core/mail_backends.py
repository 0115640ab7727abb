"""Email backends for reading mail locally (EMAIL_URL=console: and file:).

Django writes a message as it would send it: a body with a line longer than 78 characters
(a confirmation link is) goes out quoted-printable, which cuts the link with "=" soft breaks
and turns its "=" into "=3D". A person copying the link from the terminal or a file gets a
broken one. These write each message with lines up to 998 characters (RFC 5322's limit) and
8bit text instead, so every link stays on one line as sent. SMTP delivery is unchanged.
"""

import email.policy
from typing import IO, Any

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend

READABLE = email.policy.default.clone(max_line_length=998)


def readable_bytes(message: EmailMessage) -> bytes:
    """The message as a person reads it: headers, then the body as written (UTF-8)."""
    return message.message(policy=READABLE).as_bytes()


class ReadableConsoleBackend(ConsoleBackend):
    """Prints each message to the terminal (`make run`), links unbroken."""

    def write_message(self, message: Any) -> None:
        self.stream.write(readable_bytes(message).decode("utf-8", "replace") + "\n")
        self.stream.write("-" * 79)
        self.stream.write("\n")


class ReadableFileBackend(FileBackend):
    """Appends each message to a file in the mail folder, links unbroken."""

    def write_message(self, message: Any) -> None:
        stream: IO[bytes] = self.stream  # type: ignore[assignment]  # opened "ab"
        stream.write(readable_bytes(message) + b"\n" + b"-" * 79 + b"\n")
