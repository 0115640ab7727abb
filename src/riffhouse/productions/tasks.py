"""Productions' jobs."""

from django.tasks import task

from riffhouse.productions import covers, release


@task(queue_name="media")
def production_cover_process_task(*, cover_id: int) -> str:
    return covers.production_cover_process(cover_id=cover_id)


# The release: credits computed once and stored, then the production is released.
@task(queue_name="default")
def release_task(*, production_id: int) -> str:
    return release.release_run(production_id=production_id)
