"""Record jobs: processing runs on the media queue."""

from django.tasks import task

from riffhouse.records import processing


@task(queue_name="media")
def version_process_task(*, version_id: int) -> str:
    return processing.version_process(version_id=version_id)


@task(queue_name="default")
def versions_sweep_task() -> int:
    return processing.versions_sweep()


@task(queue_name="media")
def cover_process_task(*, cover_id: int) -> str:
    return processing.cover_process(cover_id=cover_id)


@task(queue_name="media")
def version_cover_task(*, version_id: int) -> str:
    return processing.version_cover_generate(version_id=version_id)
