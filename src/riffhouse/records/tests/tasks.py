"""A task used only by the worker tests: the media child machinery of records.media.sandbox,
running a child that waits on a named pipe the test never writes to."""

from django.tasks import task

from riffhouse.records.media import sandbox
from riffhouse.records.tests.pipe import read_pipe


@task(queue_name="media")
def child_reads_pipe_task(*, path: str) -> str:
    sandbox.run_isolated(read_pipe, (path,), memory_bytes=1024 * 1024 * 1024, timeout=600)
    return "read"
