"""Abstract base models shared by every app. No concrete models live here."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds `created_at` and `updated_at`, both set by the database layer on write."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
