"""A task used only by the worker tests: a child of the machinery media jobs run in
(core.isolation) that waits on a named pipe the test never writes to."""

from django.tasks import task

from riffhouse.core import isolation
from riffhouse.records.tests.pipe import read_pipe


@task(queue_name="media")
def child_reads_pipe_task(*, path: str) -> str:
    isolation.run_isolated(read_pipe, (path,), memory_bytes=1024 * 1024 * 1024, timeout=600)
    return "read"
