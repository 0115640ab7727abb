import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_security_headers_on_every_page(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'nonce-" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_friendly_404_page_and_json_404_for_the_api(client: Client) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "This page wandered off." in page.content.decode()
    api = client.get("/api/v1/no/such/thing")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not found.", "code": "not_found"}


def test_500_page_renders_without_the_database(rf) -> None:
    from riffhouse.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side." in response.content.decode()
    api = server_error(rf.get("/api/v1/me"))
    assert api.status_code == 500 and b'"code": "server_error"' in api.content


def test_media_outside_public_folders_is_not_served(client: Client) -> None:
    for path in ("/media/secret.txt", "/media/avatars/../secret_key", "/media/avatars/nope.webp"):
        assert client.get(path).status_code == 404


def test_api_docs_and_schema_are_served(client: Client) -> None:
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Riffhouse API"
