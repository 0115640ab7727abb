"""Abstract base models and choices shared by every app. No concrete models live here."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds `created_at` and `updated_at`, both set by the database layer on write."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class RemixPolicy(models.TextChoices):
    """Whether others may build on a record. Stored with every record (the lineage app
    enforces it when someone remixes) and as each member's default for new records, which is
    why it lives below both apps."""

    OPEN = "open", "Open — anyone may remix"
    ASK = "ask", "Ask first — I approve each remix"
    CLOSED = "closed", "Closed — no remixes"
