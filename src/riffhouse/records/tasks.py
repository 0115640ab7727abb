"""Record jobs: processing runs on the media queue."""

from django.tasks import task

from riffhouse.records import services


@task(queue_name="media")
def version_process_task(*, version_id: int) -> str:
    return services.version_process(version_id=version_id)


@task(queue_name="default")
def versions_sweep_task() -> int:
    return services.versions_sweep()
