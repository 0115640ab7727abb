"""Feeds' jobs: recomputing trending scores, every `services.TRENDING_EVERY` (registered with
`core.periodic` in `CommunityConfig.ready`)."""

from django.tasks import task

from riffhouse.community.feeds import services


@task()
def trending_compute_task() -> int:
    """Recompute the trending table; returns how many records have a score."""
    return services.trending_compute()
