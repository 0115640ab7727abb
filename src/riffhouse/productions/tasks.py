"""Production jobs."""

from django.tasks import task

from riffhouse.productions import release


# The release (H4): credits computed once and stored, then the production is released.
@task(queue_name="default")
def release_task(*, production_id: int) -> str:
    return release.release_run(production_id=production_id)
