from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "riffhouse.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from riffhouse.community import selectors, services
        from riffhouse.core.sessions import read_with_session

        # The header's unread badge, on every logged-in page: counted with the session.
        read_with_session(name=selectors.UNREAD_WITH_SESSION, columns=selectors.UNREAD_COLUMNS)
        from riffhouse.lineage import hooks as lineage_hooks

        # Lineage's changes become notifications: jobs enqueued in the change's transaction.
        lineage_hooks.after_remix_created.register(services.notification_create_for_remix)
        lineage_hooks.after_remix_requested.register(services.notification_create_for_remix_request)
        lineage_hooks.after_remix_request_decided.register(
            services.notification_create_for_remix_decision
        )

        # Productions' submissions and producers.
        from riffhouse.productions import hooks as production_hooks

        production_hooks.after_submission_created.register(
            services.notification_create_for_submission
        )
        production_hooks.after_submission_consent_decided.register(
            services.notification_create_for_submission_consent
        )
        production_hooks.after_submission_status_changed.register(
            services.notification_create_for_submission_status
        )
        production_hooks.after_submission_withdrawn.register(
            services.notification_create_for_submission_withdrawn
        )
        production_hooks.after_producer_added.register(
            services.notification_create_for_producer_added
        )
        # Productions' release: every credited contributor hears of it.
        production_hooks.after_release.register(services.notifications_create_for_release)
        # A production its followers follow opened for submissions.
        production_hooks.after_production_status_changed.register(
            services.notifications_create_for_production_status
        )

        # Email digests of the categories members set to "digest" (decision 0033).
        from datetime import timedelta

        from riffhouse.community.tasks import notification_digests_send
        from riffhouse.core.periodic import periodic_register

        periodic_register(notification_digests_send, every=timedelta(hours=1))

        # Feeds: trending scores, recomputed by a periodic job.
        from riffhouse.community.feeds import services as feeds_services
        from riffhouse.community.feeds.tasks import trending_compute_task

        periodic_register(trending_compute_task, every=feeds_services.TRENDING_EVERY)
