"""Files kept after a form error: only for the member who sent them, refused when changed or
expired, and swept when nobody comes back for them."""

import os
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.management import call_command

from riffhouse.core.errors import ApplicationError
from riffhouse.records import staging
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

pytestmark = pytest.mark.django_db


def kept_long_ago(monkeypatch, seconds: float):
    """Sign as if `seconds` ago (the reference carries its own time)."""
    monkeypatch.setattr(
        signing.TimestampSigner,
        "timestamp",
        lambda self: signing.b62_encode(int(time.time() - seconds)),
    )


def test_the_uploader_gets_their_file_back(user) -> None:
    data = samples.png()
    kept = staging.staged_upload_put(owner=user, upload=upload(data, "dusk.png"), kind="image")
    assert (kept.name, kept.size, kept.kind) == ("dusk.png", len(data), "image")
    again, file = staging.staged_upload_get(owner=user, reference=kept.reference)
    assert again == kept
    assert file.handle.read() == data
    assert file.staged.startswith("staged/") and file.name == "dusk.png"
    # Local storage: the checks read it in place.
    assert os.path.exists(file.handle.temporary_file_path())  # type: ignore[attr-defined]


def test_the_stored_name_is_made_by_the_server(user) -> None:
    kept = staging.staged_upload_put(
        owner=user, upload=upload(b"x", "../../etc/passwd"), kind="text"
    )
    _, file = staging.staged_upload_get(owner=user, reference=kept.reference)
    assert kept.name == "passwd"
    assert "passwd" not in file.staged


def test_another_member_cannot_use_it(user, make_user) -> None:
    kept = staging.staged_upload_put(owner=user, upload=upload(samples.png()), kind="image")
    with pytest.raises(ApplicationError) as error:
        staging.staged_upload_get(owner=make_user("sable"), reference=kept.reference)
    assert (error.value.code, error.value.field) == ("invalid_staged_upload", "file")


@pytest.mark.parametrize(
    "change",
    [
        lambda ref: ref[:-1] + ("A" if ref[-1] != "A" else "B"),
        lambda ref: "garbage",
        lambda ref: "",
        lambda ref: signing.TimestampSigner(salt="other").sign_object({"owner": 1}),
    ],
    ids=["one-character", "garbage", "empty", "other-salt"],
)
def test_a_changed_reference_is_refused(user, change) -> None:
    kept = staging.staged_upload_put(owner=user, upload=upload(samples.png()), kind="image")
    with pytest.raises(ApplicationError) as error:
        staging.staged_upload_get(owner=user, reference=change(kept.reference))
    assert error.value.code == "invalid_staged_upload"


def test_a_reference_naming_a_file_outside_the_folder_is_refused(user) -> None:
    forged = signing.TimestampSigner(salt=staging._SALT).sign_object(
        {
            "owner": user.pk,
            "stored": "records/1/key/original",
            "name": "x",
            "size": 1,
            "kind": "text",
        }
    )
    with pytest.raises(ApplicationError) as error:
        staging.staged_upload_get(owner=user, reference=forged)
    assert error.value.code == "invalid_staged_upload"


def test_an_old_reference_has_expired(user, monkeypatch, settings) -> None:
    kept_long_ago(monkeypatch, settings.RECORD_STAGED_UPLOAD_SECONDS + 60)
    kept = staging.staged_upload_put(owner=user, upload=upload(samples.png()), kind="image")
    monkeypatch.undo()
    with pytest.raises(ApplicationError) as error:
        staging.staged_upload_get(owner=user, reference=kept.reference)
    assert error.value.code == "staged_upload_expired"
    assert error.value.detail == (
        "The file you chose before was kept for 6 hours and has expired. Choose it again."
    )


def test_a_swept_file_has_expired_too(user) -> None:
    kept = staging.staged_upload_put(owner=user, upload=upload(samples.png()), kind="image")
    _, file = staging.staged_upload_get(owner=user, reference=kept.reference)
    file.handle.close()
    default_storage.delete(file.staged)
    with pytest.raises(ApplicationError) as error:
        staging.staged_upload_get(owner=user, reference=kept.reference)
    assert error.value.code == "staged_upload_expired"


def test_the_sweep_removes_only_files_past_their_time(user, settings) -> None:
    old = staging.staged_upload_put(owner=user, upload=upload(b"old"), kind="text")
    fresh = staging.staged_upload_put(owner=user, upload=upload(b"fresh"), kind="text")
    _, old_file = staging.staged_upload_get(owner=user, reference=old.reference)
    old_file.handle.close()
    past = time.time() - settings.RECORD_STAGED_UPLOAD_SECONDS - timedelta(hours=1).seconds
    os.utime(default_storage.path(old_file.staged), (past, past))
    call_command("records_sweep", verbosity=0)
    assert not default_storage.exists(old_file.staged)
    staging.staged_upload_get(owner=user, reference=fresh.reference)  # still there


def test_the_sweep_with_nothing_kept_is_quiet() -> None:
    assert staging.staged_uploads_sweep() == 0
