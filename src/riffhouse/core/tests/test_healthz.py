import json

import pytest
from django.test import Client

from riffhouse.core.tasks import email_send_task
from riffhouse.core.testing import run_python


@pytest.mark.django_db
def test_healthy_instance_reports_every_check(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]
    assert body["checks"]["tasks"]["ok"]
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_a_stalled_queue_degrades_but_still_serves(
    client: Client, settings, db_task_backend, monkeypatch
) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    email_send_task.enqueue(to=["a@ex.org"], subject="s", body="b")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["tasks"]["queues"]["notifications"]["ready"] == 1
    assert "notifications" in body["checks"]["tasks"]["error"]


def test_503_when_the_database_cannot_be_reached(tmp_path) -> None:
    # A separate process, configured with a database nobody listens on.
    env = {
        "DJANGO_SETTINGS_MODULE": "riffhouse.settings",
        "RIFFHOUSE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
        "PATH": "/usr/bin:/bin",
        "ALLOWED_HOSTS": "testserver",
    }
    line = run_python(
        "import json\nfrom django.test import Client\nr = Client().get('/healthz')\n"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))",
        env,
    )
    result = json.loads(line)
    assert result["status"] == 503
    assert result["body"]["status"] == "unavailable"
    assert result["body"]["checks"]["database"] == {
        "ok": False,
        "error": "The database cannot be reached.",
    }
