"""Abstract base models and choices shared by every app, and the job workers' heartbeats
(infrastructure, like the job queue itself), the generations of public pages and the
sessions. No domain models live here."""

from django.contrib.sessions.base_session import AbstractBaseSession
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


class WorkerHeartbeat(models.Model):
    """One row per running job worker (`riffhouse db_worker`), on any machine: `seen_at`
    (database time) is refreshed every WORKER_HEARTBEAT_SECONDS. A worker not seen for
    WORKER_LEASE_SECONDS is dead, and the job it was running is abandoned (core/workers.py).
    A worker that stops cleanly deletes its row."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class PeriodicRun(models.Model):
    """When a periodic job (`core.periodic`) was last enqueued: one row per job name. Every
    worker's heartbeat tries to move `last_enqueued_at` forward with a conditional UPDATE, so
    however many workers run, one of them enqueues each due job once."""

    name = models.CharField(max_length=100, primary_key=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_enqueued_at:%Y-%m-%d %H:%M}"


class CacheGeneration(models.Model):
    """A counter that names what the shared caches hold (`core.page_cache`, decision 0040).
    `public` moves, in the write's transaction, with every write that changes what a public
    page or API read shows; `trending` with every run of the trending job. A cached page
    or fragment is valid only under the numbers it was rendered with, so a write that
    returned is never followed by a page from before it. `changed_at` is the pages'
    Last-Modified."""

    name = models.CharField(max_length=40, primary_key=True)
    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} #{self.number}"


class MemberSession(AbstractBaseSession):
    """A browser's session (Django's, `SESSION_ENGINE = "riffhouse.core.sessions"`), with the
    member it is logged in as beside its data, so that one query reads both on every
    logged-in request (decision 0043). `member_id` is written from the data each time the
    session is saved; a session saved before it existed has none and reads its member apart."""

    member_id = models.BigIntegerField(null=True, blank=True)

    class Meta(AbstractBaseSession.Meta):
        db_table = "core_member_session"

    @classmethod
    def get_session_store_class(cls) -> type:
        from riffhouse.core.sessions import SessionStore

        return SessionStore
