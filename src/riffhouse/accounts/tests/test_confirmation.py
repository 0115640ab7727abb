"""Email confirmation as a person meets it locally: the link in the terminal or the mail
folder, logging in before confirming, sending the link again, and links that do not work."""

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from riffhouse.accounts import services, throttling
from riffhouse.accounts.models import User
from riffhouse.accounts.tokens import email_confirmation_token
from riffhouse.settings import mailer_from_url

pytestmark = pytest.mark.django_db

SIGN_UP = {"username": "luna", "email": "luna@ex.org", "password": "moonlit-sonata-42"}
# A host long enough that the link line passes 78 characters: the length that made Django
# write the body quoted-printable and cut the link with "=" soft breaks.
LONG_HOST = "riffhouse-for-the-whole-neighbourhood.example"


def sign_up(client: Client) -> None:
    response = client.post(reverse("accounts:sign_up"), SIGN_UP, HTTP_HOST=LONG_HOST)
    assert response.status_code == 302


def link_in(text: str) -> str:
    """The confirmation link in `text`, whole on a line of its own, as a path to request."""
    match = re.search(r"^http://[^/\s]+(/accounts/confirm/[^/\s]+/[^/\s]+/)$", text, re.M)
    assert match, text
    return match.group(1)


@pytest.fixture(autouse=True)
def long_host(settings) -> None:
    settings.ALLOWED_HOSTS = [LONG_HOST, "testserver"]


def test_the_console_email_shows_the_link_on_one_line(client: Client, settings, capsys) -> None:
    settings.MAILERS = {"default": mailer_from_url("console:")}
    sign_up(client)
    printed = capsys.readouterr().out
    assert "Content-Transfer-Encoding: quoted-printable" not in printed
    assert "=\n" not in printed and "=3D" not in printed
    assert "— Riffhouse" in printed  # the text as written, not encoded
    assert f"http://{LONG_HOST}/accounts/confirm/" in printed
    response = client.get(link_in(printed), HTTP_HOST=LONG_HOST)
    assert response.status_code == 302
    assert User.objects.get(username="luna").email_confirmed_at is not None


def test_the_mail_folder_keeps_the_link_on_one_line(
    client: Client, settings, tmp_path: Path
) -> None:
    settings.MAILERS = {"default": mailer_from_url(f"file://{tmp_path}")}
    sign_up(client)
    (written,) = tmp_path.iterdir()
    text = written.read_text(encoding="utf-8")
    assert "quoted-printable" not in text
    response = client.get(link_in(text), HTTP_HOST=LONG_HOST)
    assert response.status_code == 302
    assert User.objects.get(username="luna").is_active


# Logging in before confirming -------------------------------------------------------------
def test_logging_in_unconfirmed_says_confirm_first_and_offers_the_link_again(
    client: Client,
) -> None:
    sign_up(client)
    mail.outbox.clear()
    response = Client().post(
        reverse("accounts:login"), {"login": "luna", "password": SIGN_UP["password"]}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "Confirm your email first" in page
    assert "We sent a link to <strong>luna@ex.org</strong>" in page
    assert "Send the link again" in page
    assert response.context["user"].is_anonymous

    resent = Client().post(reverse("accounts:confirm_resend"), {"email": "luna@ex.org"})
    assert resent["Location"] == reverse("accounts:sign_up_done")
    assert [m.to for m in mail.outbox] == [["luna@ex.org"]]
    assert Client().get(link_in(mail.outbox[0].body)).status_code == 302


def test_a_wrong_password_for_an_unconfirmed_account_reveals_nothing(client: Client) -> None:
    sign_up(client)
    unconfirmed = Client().post(reverse("accounts:login"), {"login": "luna", "password": "nope"})
    ghost = Client().post(reverse("accounts:login"), {"login": "ghost", "password": "nope"})
    assert unconfirmed.status_code == ghost.status_code == 200
    assert (
        unconfirmed.context["form"].non_field_errors() == ghost.context["form"].non_field_errors()
    )
    assert "Confirm your email" not in unconfirmed.content.decode()


def test_the_api_says_confirm_first_too(client: Client, api) -> None:
    sign_up(client)
    response = api.call(
        "post",
        "/auth/token",
        {"username": "luna", "password": SIGN_UP["password"], "name": "script"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "email_unconfirmed"


def test_sending_again_answers_the_same_for_any_address(client: Client, monkeypatch) -> None:
    sign_up(client)
    confirmed = services.user_create(
        username="orion", email="orion@ex.org", password="a-long-and-lovely-passphrase"
    )
    assert confirmed.email_confirmed_at is not None
    mail.outbox.clear()
    counted: list[str] = []
    real = throttling.email_allowed

    def spy(*, to: str, ip: str) -> bool:
        counted.append(to)
        return real(to=to, ip=ip)

    monkeypatch.setattr(throttling, "email_allowed", spy)
    answers = []
    for address in ("luna@ex.org", "ghost@ex.org", "orion@ex.org"):
        response = Client().post(reverse("accounts:confirm_resend"), {"email": address})
        answers.append((response.status_code, response["Location"]))
    assert len(set(answers)) == 1
    # Every address goes through the same limits, whether or not it has an account.
    assert counted == ["luna@ex.org", "ghost@ex.org", "orion@ex.org"]
    # Only the unconfirmed account gets a link.
    assert [m.to for m in mail.outbox] == [["luna@ex.org"]]


def test_sending_again_is_limited_per_address(client: Client, settings) -> None:
    settings.ACCOUNT_EMAIL_LIMIT_PER_ADDRESS = 2
    sign_up(client)  # the first email
    for _ in range(3):
        response = Client().post(reverse("accounts:confirm_resend"), {"email": "luna@ex.org"})
        assert response["Location"] == reverse("accounts:sign_up_done")
    assert len(mail.outbox) == 2


def test_the_resend_form_needs_an_address(client: Client) -> None:
    assert client.get(reverse("accounts:confirm_resend")).status_code == 200
    response = client.post(reverse("accounts:confirm_resend"), {"email": "not an address"})
    assert response.status_code == 400
    assert response.context["form"].errors["email"]


# Links that do not work --------------------------------------------------------------------
def confirm_path(client: Client) -> str:
    sign_up(client)
    return link_in(mail.outbox[-1].body)


@pytest.mark.parametrize("cut", [1, 10, 30])
def test_a_link_cut_short_says_it_is_incomplete_not_expired(client: Client, cut: int) -> None:
    path = confirm_path(client)
    response = client.get(path[: -(cut + 1)])  # the link without its last characters
    page = response.content.decode()
    assert response.status_code == 400
    assert "This link is incomplete or invalid" in page
    assert "expired" not in page.lower()
    assert "Send a new link" in page
    assert User.objects.get(username="luna").email_confirmed_at is None


def test_a_link_cut_before_its_token_says_so_too(client: Client) -> None:
    uid = confirm_path(client).split("/")[3]
    for partial in ("/accounts/confirm/", f"/accounts/confirm/{uid}/"):
        response = client.get(partial)
        assert response.status_code == 400, partial
        assert "This link is incomplete or invalid" in response.content.decode()


def test_a_link_without_its_closing_slash_still_works(client: Client) -> None:
    path = confirm_path(client)
    assert client.get(path.rstrip("/")).status_code == 302
    assert User.objects.get(username="luna").is_active


def test_an_old_link_says_it_expired(client: Client, monkeypatch) -> None:
    path = confirm_path(client)
    later = datetime.now() + timedelta(days=2)  # the generator's clock is naive local time
    monkeypatch.setattr(email_confirmation_token, "_now", lambda: later)
    response = client.get(path)
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert "incomplete" not in response.content.decode()


def test_a_used_link_says_the_account_is_confirmed(client: Client) -> None:
    path = confirm_path(client)
    assert client.get(path).status_code == 302
    again = Client().get(path)
    assert again.status_code == 400
    assert "already used" in again.content.decode()
