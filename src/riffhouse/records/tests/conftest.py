import io
from collections.abc import Callable
from typing import Any

import pytest

from riffhouse.accounts.models import User
from riffhouse.records import services
from riffhouse.records.models import Record
from riffhouse.records.tests import samples


def upload(data: bytes, name: str = "file.bin") -> services.Upload:
    return services.Upload(handle=io.BytesIO(data), name=name, size=len(data))


@pytest.fixture
def make_record(user: User) -> Callable[..., Record]:
    def make(kind: str = "text", *, author: User | None = None, **fields: Any) -> Record:
        fields.setdefault("title", f"A {kind} record")
        if kind == "text":
            fields.setdefault("body", "Moon over the harbour,\nnets full of light.")
        elif "upload" not in fields:
            data = {"image": samples.png, "audio": samples.wav, "video": samples.mp4}[kind]()
            fields["upload"] = upload(data, f"sample.{kind}")
        record = services.record_create(author=author or user, kind=kind, **fields)
        record.refresh_from_db()  # processing (inline in tests) updated it
        return record

    return make
