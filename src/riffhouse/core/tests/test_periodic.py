"""Periodic jobs: enqueued once per interval, however many workers ask."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from riffhouse.core import periodic
from riffhouse.core.models import PeriodicRun
from riffhouse.core.tests import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe() -> Iterator[str]:
    tasks.PERIODIC_RUNS.clear()
    entry = periodic.periodic_register(tasks.periodic_probe_task, every=timedelta(minutes=10))
    yield entry.name
    periodic.periodic_unregister(entry.name)
    tasks.PERIODIC_RUNS.clear()


def test_a_due_job_is_enqueued_once_per_interval(probe: str) -> None:
    start = timezone.now()
    assert probe in periodic.periodic_enqueue_due(now=start)
    # Every other worker's heartbeat in the same interval finds it claimed.
    assert probe not in periodic.periodic_enqueue_due(now=start + timedelta(minutes=9))
    assert probe not in periodic.periodic_enqueue_due(now=start + timedelta(minutes=9))
    assert len(tasks.PERIODIC_RUNS) == 1
    assert probe in periodic.periodic_enqueue_due(now=start + timedelta(minutes=10))
    assert len(tasks.PERIODIC_RUNS) == 2
    assert PeriodicRun.objects.get(name=probe).last_enqueued_at == start + timedelta(minutes=10)


def test_the_command_enqueues_every_job_now(probe: str) -> None:
    periodic.periodic_enqueue_due()
    call_command("periodic", "--now")
    assert len(tasks.PERIODIC_RUNS) == 2


def test_an_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive interval"):
        periodic.periodic_register(tasks.periodic_probe_task, every=timedelta(0))
