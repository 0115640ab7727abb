import pytest
from conftest import PASSWORD
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from riffhouse.accounts.models import ApiToken, User
from riffhouse.accounts.tests.images import png_bytes

pytestmark = pytest.mark.django_db


def test_sign_up_then_confirm_logs_the_member_in(client: Client) -> None:
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": "luna", "email": "luna@ex.org", "password": "moonlit-sonata-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_up_done")
    page = client.get(response["Location"])
    assert "luna@ex.org" in page.content.decode()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/confirm/" in line)
    confirmed = client.get(link.replace("http://testserver", ""))
    assert confirmed.status_code == 302
    assert client.get(reverse("community:home")).context["user"].username == "luna"


def test_sign_up_shows_errors_on_the_form_and_saves_nothing(client: Client, user: User) -> None:
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": "orion", "email": "x@ex.org", "password": "moonlit-sonata-42"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"username": ["That username is taken."]}
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": "luna", "email": "not-an-email", "password": "short"},
    )
    assert set(response.context["form"].errors) == {"email"}
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": "luna", "email": "luna@ex.org", "password": "short"},
    )
    assert "too short" in response.context["form"].errors["password"][0]
    assert User.objects.count() == 1


def test_a_registered_email_looks_exactly_like_a_new_sign_up(client: Client, user: User) -> None:
    taken = client.post(
        reverse("accounts:sign_up"),
        {"username": "newname", "email": "orion@ex.org", "password": "moonlit-sonata-42"},
    )
    fresh = Client().post(
        reverse("accounts:sign_up"),
        {"username": "other", "email": "fresh@ex.org", "password": "moonlit-sonata-42"},
    )
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])


def test_log_in_with_username_or_email_and_log_out(client: Client, user: User) -> None:
    response = client.post(reverse("accounts:login"), {"login": "ORION", "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))
    response = client.post(
        reverse("accounts:login") + "?next=/settings/tokens/",
        {"login": "orion@ex.org", "password": PASSWORD, "next": "/settings/tokens/"},
    )
    assert response["Location"] == "/settings/tokens/"
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("settings:profile")).status_code == 302


def test_log_in_refuses_offsite_redirects(client: Client, user: User) -> None:
    response = client.post(
        reverse("accounts:login"),
        {"login": "orion", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_logout_needs_post(client: Client, user: User) -> None:
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_failed_log_ins_do_not_reveal_accounts_and_lock(client: Client, user: User) -> None:
    wrong = client.post(reverse("accounts:login"), {"login": "orion", "password": "nope"})
    ghost = client.post(reverse("accounts:login"), {"login": "ghost", "password": "nope"})
    assert wrong.context["form"].non_field_errors() == ghost.context["form"].non_field_errors()
    for _ in range(3):
        client.post(reverse("accounts:login"), {"login": "orion", "password": "nope"})
    locked = client.post(reverse("accounts:login"), {"login": "orion", "password": "nope"})
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    # Even the right password waits for the lock to pass.
    right = client.post(reverse("accounts:login"), {"login": "orion", "password": PASSWORD})
    assert right.status_code == 429


def test_an_unconfirmed_member_cannot_log_in(client: Client) -> None:
    client.post(
        reverse("accounts:sign_up"),
        {"username": "luna", "email": "luna@ex.org", "password": "moonlit-sonata-42"},
    )
    response = Client().post(
        reverse("accounts:login"), {"login": "luna", "password": "moonlit-sonata-42"}
    )
    assert response.status_code == 200
    assert response.context["user"].is_anonymous


def test_password_reset_by_email(client: Client, user: User) -> None:
    unknown = client.post(reverse("accounts:password_reset"), {"email": "ghost@ex.org"})
    known = client.post(reverse("accounts:password_reset"), {"email": "orion@ex.org"})
    assert unknown["Location"] == known["Location"]
    assert [m.to for m in mail.outbox] == [["orion@ex.org"]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    form_page = client.get(link.replace("http://testserver", ""), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-melody-77", "new_password2": "brand-new-melody-77"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-melody-77")


def test_password_change(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(
        reverse("settings:password"),
        {
            "old_password": PASSWORD,
            "new_password1": "brand-new-melody-77",
            "new_password2": "brand-new-melody-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-melody-77")


def test_profile_page_shows_the_member(
    client: Client, user: User, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(3):
        response = client.get("/@orion")
    assert response.status_code == 200
    assert "Orion Vale" in response.content.decode()
    assert client.get("/@ORION").status_code == 301
    assert client.get("/@nobody").status_code == 404


def test_profile_editing(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(
        reverse("settings:profile"),
        {
            "display_name": "Orion V.",
            "bio": "Songs about leaving.",
            "links": "https://orion.example\nhttps://tapes.example",
            "avatar": SimpleUploadedFile("me.png", png_bytes((300, 300)), "image/png"),
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.links) == (
        "Orion V.",
        ["https://orion.example", "https://tapes.example"],
    )
    assert user.avatar and user.avatar_small
    page = client.get("/@orion").content.decode()
    assert user.avatar_medium in page and "Songs about leaving." in page


def test_a_bad_avatar_is_a_form_error_and_changes_nothing(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(
        reverse("settings:profile"),
        {
            "display_name": "Changed",
            "bio": "",
            "links": "",
            "avatar": SimpleUploadedFile("me.png", b"<html>not a png</html>", "image/png"),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["avatar"] == ["That file is not an image we can read."]
    user.refresh_from_db()
    assert user.avatar == ""


def test_tokens_are_listed_and_revoked_from_settings(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(reverse("settings:tokens"), {"name": "my uploader"})
    raw = response.context["issued"].raw
    assert raw in response.content.decode()
    token = ApiToken.objects.get()
    listing = client.get(reverse("settings:tokens")).content.decode()
    assert "my uploader" in listing and raw not in listing
    client.post(reverse("settings:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_settings_need_a_log_in(client: Client) -> None:
    for name in ("settings:profile", "settings:password", "settings:tokens"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_admin_site_is_for_staff_only(client: Client, make_user) -> None:
    client.force_login(make_user(role="moderator"))
    assert client.get("/admin/").status_code == 302
    client.force_login(make_user(role="staff"))
    assert client.get("/admin/").status_code == 200


SPELLINGS = ["orion", "ORION", " Orion ", "orion@ex.org", "Orion@EX.org"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_lock_holds_for_every_spelling_of_the_account(
    client: Client, user: User, settings, spelling: str
) -> None:
    # Issue 9: with `orion` locked, `orion@ex.org` still logged in.
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"login": "orion", "password": "nope"})
    locked = client.post(reverse("accounts:login"), {"login": "orion", "password": PASSWORD})
    other = Client().post(reverse("accounts:login"), {"login": spelling, "password": PASSWORD})
    assert other.status_code == locked.status_code == 429
    assert other.context["form"].non_field_errors() == locked.context["form"].non_field_errors()
    assert other.context["user"].is_anonymous


def test_failures_under_different_spellings_add_up(client: Client, user: User, settings) -> None:
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        spelling = SPELLINGS[attempt % len(SPELLINGS)]
        client.post(reverse("accounts:login"), {"login": spelling, "password": "nope"})
    response = client.post(reverse("accounts:login"), {"login": "orion", "password": PASSWORD})
    assert response.status_code == 429


def test_an_unknown_name_locks_in_any_case(client: Client, user: User, settings) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"login": "ghost", "password": "nope"})
    assert (
        client.post(reverse("accounts:login"), {"login": "GHOST", "password": "x"}).status_code
        == 429
    )
    # Another name (and another account) is not caught by that lock.
    assert (
        client.post(reverse("accounts:login"), {"login": "orion", "password": PASSWORD}).status_code
        == 302
    )


def test_the_admin_log_in_respects_the_lock(client: Client, make_user, settings) -> None:
    make_user("vega", role="admin")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"login": "vega", "password": "nope"})
    response = client.post(
        reverse("admin:login"), {"username": "vega@ex.org", "password": PASSWORD}
    )
    assert response.status_code == 200  # the form again, not the redirect of a log-in
    assert client.get(reverse("admin:index")).status_code == 302


def test_resets_and_sign_ups_naming_one_address_send_a_few_emails(
    client: Client, user: User, settings
) -> None:
    # Issue 9: 20 password resets and 20 sign-ups naming one address sent 40 emails.
    resets = [
        client.post(reverse("accounts:password_reset"), {"email": "orion@ex.org"})
        for _ in range(20)
    ]
    sign_ups = [
        client.post(
            reverse("accounts:sign_up"),
            {"username": f"flood{n}", "email": "ORION@ex.org", "password": "moonlit-sonata-42"},
        )
        for n in range(20)
    ]
    assert len(mail.outbox) == settings.ACCOUNT_EMAIL_LIMIT_PER_ADDRESS
    # Silently: the last requests, refused, answer exactly as the first, sent ones.
    assert {(r.status_code, r["Location"]) for r in resets} == {
        (302, reverse("accounts:password_reset_done"))
    }
    assert {(r.status_code, r["Location"]) for r in sign_ups} == {
        (302, reverse("accounts:sign_up_done"))
    }


def test_one_client_cannot_email_many_addresses(client: Client, settings) -> None:
    settings.ACCOUNT_EMAIL_LIMIT_PER_IP = 3
    for n in range(6):
        response = client.post(
            reverse("accounts:sign_up"),
            {"username": f"luna{n}", "email": f"luna{n}@ex.org", "password": "moonlit-sonata-42"},
        )
        assert response["Location"] == reverse("accounts:sign_up_done")
    assert [m.to for m in mail.outbox] == [[f"luna{n}@ex.org"] for n in range(3)]
    # Another client is not held back by that one.
    Client(REMOTE_ADDR="198.51.100.7").post(
        reverse("accounts:sign_up"),
        {"username": "nova", "email": "nova@ex.org", "password": "moonlit-sonata-42"},
    )
    assert mail.outbox[-1].to == ["nova@ex.org"]
