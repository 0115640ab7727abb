"""Signals accounts sends so that the apps above it can react without accounts importing
them (the import direction runs core <- accounts <- records <- ...)."""

from django.dispatch import Signal

# Sent by `account_delete` inside its transaction, with `sender=User, user=<the member>`,
# after the row is anonymised. A receiver that raises rolls the whole deletion back.
account_deleted = Signal()
