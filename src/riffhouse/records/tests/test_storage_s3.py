"""Records on S3-compatible storage, against a local S3 server (moto's standalone server)."""

import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.test import Client

from riffhouse.core.testing import free_port, port_open, stop, wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: port_open(port), timeout=60, message="the S3 server")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(server)


@pytest.fixture
def s3(settings, s3_endpoint: str):
    options = {
        "bucket_name": "riffhouse-test",
        "endpoint_url": s3_endpoint,
        "access_key": "test",
        "secret_key": "test",
        "region_name": "us-east-1",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 600,
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="riffhouse-test")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    yield client
    for item in client.list_objects_v2(Bucket="riffhouse-test").get("Contents", []):
        client.delete_object(Bucket="riffhouse-test", Key=item["Key"])


def test_originals_and_renditions_live_in_the_bucket(s3, make_record, user) -> None:
    from riffhouse.records.tests import samples
    from riffhouse.records.tests.conftest import upload

    record = make_record("image", upload=upload(samples.png((700, 500))))
    version = record.live_version
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket="riffhouse-test")["Contents"]}
    assert version.original in keys
    assert {r.path for r in version.renditions.all()} <= keys

    response = Client().get(f"/records/{record.pk}/files/{version.key}/w320.webp")
    assert response.status_code == 302
    signed = response["Location"]
    assert "X-Amz-Signature=" in signed and "response-content-type=image%2Fwebp" in signed
    with urllib.request.urlopen(signed, timeout=10) as fetched:  # noqa: S310 (local S3)
        assert fetched.read()[:4] == b"RIFF"
    # The original stays private: no redirect for visitors.
    assert Client().get(f"/records/{record.pk}/files/{version.key}/original").status_code == 404


def test_a_deleted_draft_leaves_nothing_in_the_bucket(
    s3, make_record, user, django_capture_on_commit_callbacks
) -> None:
    from riffhouse.records import services

    image = make_record("image", visibility="draft")
    assert s3.list_objects_v2(Bucket="riffhouse-test").get("KeyCount") > 1
    with django_capture_on_commit_callbacks(execute=True):
        services.record_delete(actor=user, record=image)
    assert s3.list_objects_v2(Bucket="riffhouse-test").get("KeyCount") == 0
