import io

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from PIL import Image

from riffhouse.accounts import services
from riffhouse.accounts.models import ApiToken, AuditEvent, Role, User
from riffhouse.accounts.tests.images import jpeg_with_gps, png_bytes
from riffhouse.core.errors import ApplicationError

BASE = "http://testserver"
IP = "203.0.113.5"
pytestmark = pytest.mark.django_db


def confirm_link(message: mail.EmailMessage) -> str:
    line = next(line for line in message.body.splitlines() if "/accounts/confirm/" in line)
    return line.strip()


class TestSignUp:
    def test_creates_an_inactive_member_with_an_argon2_hash_and_emails_a_link(self) -> None:
        user = services.user_sign_up(
            username="Luna", email="luna@ex.org", password="moonlit-sonata-42", base_url=BASE, ip=IP
        )
        assert user is not None
        user.refresh_from_db()
        assert not user.is_active
        assert user.password.startswith("argon2$")
        assert [m.to for m in mail.outbox] == [["luna@ex.org"]]
        assert confirm_link(mail.outbox[0]).startswith(f"{BASE}/accounts/confirm/")
        assert AuditEvent.objects.filter(subject=user, action="signed_up").exists()

    def test_confirmation_activates_once(self) -> None:
        user = services.user_sign_up(
            username="luna", email="luna@ex.org", password="moonlit-sonata-42", base_url=BASE, ip=IP
        )
        assert user is not None
        uid, token = confirm_link(mail.outbox[0]).rstrip("/").split("/")[-2:]
        confirmed = services.user_confirm_email(uidb64=uid, token=token)
        assert confirmed.is_active and confirmed.email_confirmed_at is not None
        with pytest.raises(ApplicationError) as err:
            services.user_confirm_email(uidb64=uid, token=token)
        assert err.value.code == "used_link"

    def test_a_forged_link_is_refused(self, user: User) -> None:
        with pytest.raises(ApplicationError):
            services.user_confirm_email(uidb64="MQ", token="abc-def")
        with pytest.raises(ApplicationError):
            services.user_confirm_email(uidb64="!!", token="abc-def")

    @pytest.mark.parametrize("taken", ["orion", "ORION", " Orion "])
    def test_a_taken_username_is_reported_and_nothing_saved(self, user: User, taken: str) -> None:
        with pytest.raises(ApplicationError) as err:
            services.user_sign_up(
                username=taken,
                email="new@ex.org",
                password="moonlit-sonata-42",
                base_url=BASE,
                ip=IP,
            )
        assert (err.value.code, err.value.status, err.value.field) == (
            "username_taken",
            409,
            "username",
        )
        assert User.objects.count() == 1
        assert mail.outbox == []

    def test_a_registered_email_is_not_revealed_but_its_owner_is_told(self, user: User) -> None:
        result = services.user_sign_up(
            username="someone",
            email="ORION@ex.org",
            password="moonlit-sonata-42",
            base_url=BASE,
            ip=IP,
        )
        assert result is None
        assert not User.objects.filter(username="someone").exists()
        assert [m.to for m in mail.outbox] == [["orion@ex.org"]]
        assert "already belongs to your account" in mail.outbox[0].body

    def test_an_unconfirmed_address_gets_a_fresh_link(self) -> None:
        services.user_sign_up(
            username="luna", email="luna@ex.org", password="moonlit-sonata-42", base_url=BASE, ip=IP
        )
        again = services.user_sign_up(
            username="luna2",
            email="luna@ex.org",
            password="moonlit-sonata-42",
            base_url=BASE,
            ip=IP,
        )
        assert again is None
        assert len(mail.outbox) == 2
        assert "/accounts/confirm/" in mail.outbox[1].body

    @pytest.mark.parametrize(
        ("password", "fragment"),
        [
            ("short", "too short"),
            ("password123", "too common"),
            ("1234567890123", "numeric"),
            ("luna@ex.org1", "too similar"),
        ],
    )
    def test_weak_passwords_are_refused_with_the_validators_words(
        self, password: str, fragment: str
    ) -> None:
        with pytest.raises(ApplicationError) as err:
            services.user_sign_up(
                username="luna", email="luna@ex.org", password=password, base_url=BASE, ip=IP
            )
        assert err.value.code == "weak_password"
        assert fragment in err.value.detail
        assert not User.objects.exists()

    @pytest.mark.parametrize("name", ["ab", "-luna", "luna!", "x" * 31, "admin", "Settings"])
    def test_invalid_or_reserved_usernames(self, name: str) -> None:
        with pytest.raises(ApplicationError) as err:
            services.user_sign_up(
                username=name,
                email="luna@ex.org",
                password="moonlit-sonata-42",
                base_url=BASE,
                ip=IP,
            )
        assert err.value.field == "username"
        assert not User.objects.exists()


class TestRoles:
    @pytest.mark.parametrize(
        ("role", "staff", "superuser"),
        [
            (Role.MEMBER, False, False),
            (Role.MODERATOR, False, False),
            (Role.STAFF, True, False),
            (Role.ADMIN, True, True),
        ],
    )
    def test_admin_site_access_follows_the_role(
        self, make_user, role: str, staff: bool, superuser: bool
    ) -> None:
        member = make_user(role=role)
        assert (member.role, member.is_staff, member.is_superuser) == (role, staff, superuser)

    def test_only_admins_change_roles(self, make_user) -> None:
        staff = make_user(role=Role.STAFF)
        member = make_user()
        with pytest.raises(ApplicationError) as err:
            services.user_set_role(actor=staff, user=member, role=Role.ADMIN)
        assert err.value.status == 403
        member.refresh_from_db()
        assert member.role == Role.MEMBER

    def test_createsuperuser_makes_an_admin(self) -> None:
        admin = User.objects.create_superuser("root2", "root@ex.org", "a-long-passphrase-1")
        assert admin.role == Role.ADMIN and admin.is_staff and admin.is_superuser


class TestProfile:
    def test_links_are_validated_and_deduplicated(self, user: User) -> None:
        services.user_update_profile(
            user=user, links=["https://a.example", " https://a.example", "", "http://b.example/x"]
        )
        user.refresh_from_db()
        assert user.links == ["https://a.example", "http://b.example/x"]

    @pytest.mark.parametrize(
        "links",
        [["javascript:alert(1)"], ["not a url"], [f"https://{i}.example" for i in range(6)]],
    )
    def test_bad_links_change_nothing(self, user: User, links: list[str]) -> None:
        with pytest.raises(ApplicationError) as err:
            services.user_update_profile(user=user, display_name="Changed", links=links)
        assert err.value.field == "links"
        user.refresh_from_db()
        assert user.display_name == "Orion Vale"


class TestAvatar:
    def test_is_re_encoded_without_metadata_and_keeps_orientation(self, user: User) -> None:
        data = jpeg_with_gps()
        services.user_set_avatar(user=user, upload=io.BytesIO(data), size=len(data))
        user.refresh_from_db()
        with default_storage.open(user.avatar) as handle:
            stored = Image.open(handle)
            stored.load()
        assert stored.format == "WEBP"
        assert not stored.getexif()
        assert "exif" not in stored.info
        # 64x48 with orientation 6 displays as 48x64.
        assert stored.size == (48, 64)

    def test_renditions_are_made_by_the_job(self, user: User) -> None:
        data = png_bytes((500, 300))
        services.user_set_avatar(user=user, upload=io.BytesIO(data), size=len(data))
        user.refresh_from_db()
        for name, side in ((user.avatar_small, 96), (user.avatar_medium, 320)):
            with default_storage.open(name) as handle:
                assert Image.open(handle).size == (side, side)

    def test_a_new_avatar_removes_the_old_files(
        self, user: User, django_capture_on_commit_callbacks
    ) -> None:
        data = png_bytes()
        with django_capture_on_commit_callbacks(execute=True):
            services.user_set_avatar(user=user, upload=io.BytesIO(data), size=len(data))
        user.refresh_from_db()
        old = [user.avatar, user.avatar_small, user.avatar_medium]
        with django_capture_on_commit_callbacks(execute=True):
            services.user_set_avatar(user=user, upload=io.BytesIO(data), size=len(data))
        assert not any(default_storage.exists(name) for name in old)
        with django_capture_on_commit_callbacks(execute=True):
            services.user_remove_avatar(user=user)
        user.refresh_from_db()
        assert user.avatar == user.avatar_small == ""

    @pytest.mark.parametrize(
        ("payload", "code"),
        [
            (b"", "invalid_image"),
            (b"hello, not an image", "invalid_image"),
            (
                b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
                "invalid_image",
            ),
            (png_bytes()[:60], "invalid_image"),
        ],
        ids=["empty", "text", "svg", "truncated"],
    )
    def test_non_images_are_refused_and_nothing_is_stored(
        self, user: User, payload: bytes, code: str
    ) -> None:
        with pytest.raises(ApplicationError) as err:
            services.user_set_avatar(user=user, upload=io.BytesIO(payload), size=len(payload))
        assert (err.value.code, err.value.field) == (code, "avatar")
        user.refresh_from_db()
        assert user.avatar == ""
        assert not default_storage.exists(f"avatars/{user.pk}")

    def test_oversized_files_are_refused_before_decoding(self, user: User, settings) -> None:
        settings.AVATAR_MAX_BYTES = 100
        data = png_bytes()
        with pytest.raises(ApplicationError) as err:
            services.user_set_avatar(user=user, upload=io.BytesIO(data), size=len(data) + 200)
        assert err.value.code == "file_too_large"

    def test_decompression_bombs_are_refused(self, user: User, settings) -> None:
        settings.AVATAR_MAX_PIXELS = 10_000
        data = png_bytes((200, 200))
        with pytest.raises(ApplicationError) as err:
            services.user_set_avatar(user=user, upload=io.BytesIO(data), size=len(data))
        assert err.value.code == "image_too_large"

    def test_unsupported_formats_are_refused(self, user: User) -> None:
        out = io.BytesIO()
        Image.new("RGB", (10, 10)).save(out, format="BMP")
        with pytest.raises(ApplicationError) as err:
            services.user_set_avatar(user=user, upload=io.BytesIO(out.getvalue()), size=100)
        assert err.value.code == "unsupported_image"

    def test_the_job_skips_a_replaced_avatar(self, user: User) -> None:
        assert services.avatar_render(user_id=user.pk, avatar="avatars/gone.webp") == {}


class TestTokens:
    def test_only_a_digest_is_stored_and_revoking_is_recorded(self, user: User) -> None:
        issued = services.api_token_create(user=user, name="script")
        stored = ApiToken.objects.get()
        assert issued.raw.startswith("rh_") and issued.raw not in stored.digest
        assert stored.digest == services.token_digest(raw=issued.raw)
        services.api_token_revoke(user=user, token_id=stored.pk)
        stored.refresh_from_db()
        assert stored.revoked_at is not None

    def test_revoking_someone_elses_token_is_not_found(self, user: User, make_user) -> None:
        other = make_user()
        issued = services.api_token_create(user=other, name="theirs")
        with pytest.raises(ApplicationError) as err:
            services.api_token_revoke(user=user, token_id=issued.token.pk)
        assert err.value.status == 404
        issued.token.refresh_from_db()
        assert issued.token.revoked_at is None
