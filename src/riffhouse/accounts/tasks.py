"""Account jobs."""

from django.tasks import task

from riffhouse.accounts import services


@task(queue_name="media")
def avatar_render_task(*, user_id: int, avatar: str) -> dict[str, str]:
    return services.avatar_render(user_id=user_id, avatar=avatar)
