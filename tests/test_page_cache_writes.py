"""Every service that writes is held to a decision about the public pages (decision 0040):
it moves the `public` generation (`@changes_public_pages`), or it is named below with the
reason its writes never show on a page a logged-out visitor sees. A new service that is
neither fails here, so nobody adds a write that leaves visitors a stale page."""

import importlib
import inspect

import pytest

# The modules whose functions write what public pages show.
WRITE_MODULES = [
    "riffhouse.records.services",
    "riffhouse.records.processing",
    "riffhouse.lineage.services",
    "riffhouse.accounts.services",
    "riffhouse.productions.services",
    "riffhouse.productions.lineup.services",
    "riffhouse.productions.submissions.services",
    "riffhouse.productions.release",
    "riffhouse.productions.covers",
    "riffhouse.moderation.services",
]

# Functions of those modules that don't move `public`, and why.
NOT_SHOWN = {
    # Reads, checks and locks.
    "riffhouse.records.services.record_lock": "a lock",
    "riffhouse.records.services.records_lock": "a lock",
    "riffhouse.records.services.records_get_locked": "a lock",
    "riffhouse.records.processing.cover_seed": "a value",
    "riffhouse.records.processing.cover_rendition_make": "a file, named by a cover row later",
    "riffhouse.records.processing.versions_without_cover": "a read",
    "riffhouse.lineage.services.remix_check_publishable": "a check",
    "riffhouse.lineage.services.remix_check_licence": "a check",
    "riffhouse.lineage.services.remix_plan": "a read",
    "riffhouse.accounts.services.username_check": "a check",
    "riffhouse.accounts.services.token_digest": "a hash",
    "riffhouse.productions.covers.cover_url": "a read",
    "riffhouse.productions.covers.production_cover_file_get": "a read",
    "riffhouse.productions.release.production_credits_page": "a read",
    "riffhouse.moderation.services.target_ref": "a value",
    "riffhouse.moderation.services.target_load": "a read",
    # Writes that only their author, moderators or email see.
    "riffhouse.accounts.services.audit": "the audit log (staff only)",
    "riffhouse.accounts.services.account_email_send": "an email",
    "riffhouse.accounts.services.user_sign_up": "an unconfirmed account shows nowhere",
    "riffhouse.accounts.services.user_confirmation_resend": "an email",
    "riffhouse.accounts.services.user_authenticate": "the last login (never shown)",
    "riffhouse.accounts.services.api_token_create": "the member's tokens",
    "riffhouse.accounts.services.api_token_revoke": "the member's tokens",
    "riffhouse.accounts.services.api_token_touch": "the member's tokens",
    "riffhouse.accounts.services.block_add": "what the blocker sees, logged in",
    "riffhouse.accounts.services.block_remove": "what the blocker sees, logged in",
    "riffhouse.moderation.services.report_create": "the moderation queue",
    "riffhouse.moderation.services.reports_dismiss": "the moderation queue",
    "riffhouse.moderation.services.appeal_create": "the moderation queue",
}


def _services() -> list[tuple[str, object]]:
    found = []
    for name in WRITE_MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ != name:
                continue  # imported from elsewhere
            found.append((f"{name}.{attr}", value))
    return found


@pytest.mark.parametrize(("name", "function"), _services(), ids=lambda v: str(v).split(".")[-1])
def test_every_service_has_decided_about_public_pages(name: str, function: object):
    decorated = getattr(function, "changes_public_pages", False)
    assert decorated != (name in NOT_SHOWN), (
        f"{name}: decorate it @changes_public_pages if a logged-out visitor can see what it "
        "writes, or name it in NOT_SHOWN with the reason they can't (not both)"
    )


def test_the_list_names_only_functions_that_exist():
    names = {name for name, _ in _services()}
    assert set(NOT_SHOWN) <= names
