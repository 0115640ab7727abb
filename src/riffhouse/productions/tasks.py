"""Productions' jobs."""

from django.tasks import task

from riffhouse.productions import covers


# H1 (pages): the cover. Other jobs (the release) follow below.
@task(queue_name="media")
def production_cover_process_task(*, cover_id: int) -> str:
    return covers.production_cover_process(cover_id=cover_id)
