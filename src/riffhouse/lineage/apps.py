from django.apps import AppConfig


class LineageConfig(AppConfig):
    name = "riffhouse.lineage"
    label = "lineage"
    verbose_name = "Lineage"

    def ready(self) -> None:
        from riffhouse.lineage import api, rules, selectors, services
        from riffhouse.records import hooks as records_hooks

        # Records calls these by name from its services (records/hooks.py, decision 0016).
        records_hooks.sources_register(
            records_hooks.Sources(
                parse=rules.sources_parse,
                plan=services.remix_plan,
                replace=services.record_sources_set,
                out=api.record_links_out,
            )
        )
        records_hooks.may_view.register(selectors.remix_draft_visible_to)
        records_hooks.page_personal.register(selectors.record_page_personal)
        records_hooks.source_art_register(selectors.records_source_art)
        records_hooks.may_publish.register(services.remix_check_publishable)
        records_hooks.may_change_licence.register(services.remix_check_licence)
        records_hooks.after_publish.register(services.remix_published)
        records_hooks.after_visibility_change.register(services.remix_sources_recount)
        records_hooks.after_delete.register(services.remix_sources_recount_deleted)
