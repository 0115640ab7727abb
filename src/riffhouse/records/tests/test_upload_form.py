"""The upload, edit and remix forms: the kind a person chooses, a file of another kind named
as what it is, and a file that passed its checks kept when the form comes back with an error
(so it is never chosen twice, nor lost)."""

import hashlib
import re
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from riffhouse.records.models import Record
from riffhouse.records.tests import samples

pytestmark = pytest.mark.django_db

POEM = b"Moon over the harbour,\nnets full of light.\n"
SETTINGS = {"licence": "riffhouse", "remix_policy": "open", "visibility": "published"}


def post_new(client: Client, **fields: Any) -> Any:
    return client.post(reverse("records:new"), {**SETTINGS, **fields})


def song(name: str = "tone.wav") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.wav(seconds=0.5), "audio/wav")


def kept_reference(response: Any) -> str:
    """The signed reference the page sends back instead of the file."""
    match = re.search(r'name="staged_upload" value="([^"]+)"', response.content.decode())
    assert match, "the page keeps no file"
    return match.group(1)


def text(response: Any) -> str:
    return " ".join(response.content.decode().split())


def words(response: Any) -> str:
    """What the page says, without its tags."""
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


class TestKindChoice:
    def test_the_choice_is_at_the_top_with_the_words_people_use(self, client, user) -> None:
        client.force_login(user)
        page = text(client.get(reverse("records:new")))
        assert "What are you sharing?" in page
        positions = [page.index(f'<span class="kind-word">{w}</span>') for w in
                     ("Writing", "Art", "Music", "Film")]  # fmt: skip
        assert positions == sorted(positions) and positions[0] < page.index('name="title"')

    def test_a_link_may_choose_the_kind(self, client, user) -> None:
        client.force_login(user)
        page = client.get(reverse("records:new") + "?kind=audio").content.decode()
        assert re.search(r'value="audio"[^>]*checked', page)
        assert 'accept="audio/*' in page  # the picker offers songs and sounds

    def test_music_takes_a_song(self, client, user) -> None:
        client.force_login(user)
        response = post_new(client, kind="audio", title="Tone", file=song())
        record = Record.objects.get()
        assert response["Location"] == record.get_absolute_url()
        assert record.kind == "audio"

    def test_writing_takes_text(self, client, user) -> None:
        client.force_login(user)
        post_new(client, kind="text", title="Tide", body="In, out,\nin.")
        assert Record.objects.get().kind == "text"

    def test_writing_takes_a_text_file_too(self, client, user) -> None:
        client.force_login(user)
        post_new(client, kind="text", title="Tide", file=SimpleUploadedFile("tide.md", POEM))
        record = Record.objects.get()
        assert (record.kind, record.current_version.body) == ("text", POEM.decode())

    @pytest.mark.parametrize(
        ("chosen", "data", "message"),
        [
            ("image", POEM, "This is a text file, not art — paste it into Text or choose Writing."),
            ("audio", samples.png(), "This is a picture, not music — choose Art."),
            ("video", samples.wav(0.5), "This is a song or sound, not a film — choose Music."),
            ("text", samples.wav(0.5), "This is a song or sound, not writing — choose Music."),
        ],
    )
    def test_a_file_of_another_kind_is_named_as_what_it_is(
        self, client, user, chosen, data, message
    ) -> None:
        client.force_login(user)
        response = post_new(client, kind=chosen, title="x", file=SimpleUploadedFile("f", data))
        assert response.status_code == 400
        assert response.context["form"].errors["file"] == [message]
        assert message in text(response)
        assert not Record.objects.exists()
        assert 'name="staged_upload"' not in response.content.decode()  # a refused file is not kept

    def test_the_file_chosen_is_needed(self, client, user) -> None:
        client.force_login(user)
        response = post_new(client, kind="video", title="x")
        assert response.context["form"].errors["file"] == ["Choose a film or animation to upload."]

    def test_nothing_chosen_and_nothing_given(self, client, user) -> None:
        client.force_login(user)
        response = post_new(client, title="x")
        assert response.status_code == 400
        assert response.context["form"].errors["kind"] == [
            "Choose what you are sharing, then add it."
        ]

    def test_without_a_choice_the_content_decides(self, client, user) -> None:
        # A page without JavaScript, or an old one: the server recognises the file.
        client.force_login(user)
        post_new(client, title="Dusk", file=SimpleUploadedFile("dusk.mp3", samples.png()))
        assert Record.objects.get().kind == "image"

    def test_an_unknown_kind_is_a_form_error(self, client, user) -> None:
        client.force_login(user)
        response = post_new(client, kind="sculpture", title="x", body="y")
        assert response.status_code == 400 and response.context["form"].errors["kind"]


class TestKeptFile:
    def test_a_form_error_keeps_the_file_and_the_next_try_publishes_it(self, client, user):
        client.force_login(user)
        sent = samples.wav(seconds=0.5)
        response = post_new(
            client, kind="audio", title="", file=SimpleUploadedFile("tone.wav", sent)
        )
        assert response.status_code == 400
        assert response.context["form"].errors["title"] == ["Give your record a title."]
        assert re.search(
            r"Chosen: tone\.wav \([\d.]+ KB, kept\) — choose another file to replace it\.",
            words(response),
        )
        reference = kept_reference(response)

        # The next try sends the reference, not the file.
        response = post_new(client, kind="audio", title="Tone", staged_upload=reference)
        record = Record.objects.get()
        assert response["Location"] == record.get_absolute_url()
        version = record.current_version
        assert (record.kind, version.original_name) == ("audio", "tone.wav")
        with default_storage.open(version.original, "rb") as stored:
            assert hashlib.sha256(stored.read()).digest() == hashlib.sha256(sent).digest()

    def test_the_kept_file_is_removed_once_the_record_is_made(
        self, client, user, django_capture_on_commit_callbacks
    ) -> None:
        client.force_login(user)
        reference = kept_reference(post_new(client, kind="audio", title="", file=song()))
        assert default_storage.listdir("staged")[1]
        with django_capture_on_commit_callbacks(execute=True):
            post_new(client, kind="audio", title="Tone", staged_upload=reference)
        assert default_storage.listdir("staged")[1] == []

    def test_a_service_refusal_keeps_the_file_too(self, client, user) -> None:
        client.force_login(user)
        response = post_new(client, kind="audio", title="Tone", tags="!!", file=song())
        assert response.status_code == 400 and response.context["form"].errors["tags"]
        response = post_new(
            client, kind="audio", title="Tone", tags="drone", staged_upload=kept_reference(response)
        )
        assert response.status_code == 302 and Record.objects.get().kind == "audio"

    def test_a_kept_file_comes_back_kept_after_another_error(self, client, user) -> None:
        client.force_login(user)
        reference = kept_reference(post_new(client, kind="audio", title="", file=song()))
        again = post_new(client, kind="audio", title="", staged_upload=reference)
        assert again.status_code == 400 and kept_reference(again) == reference

    def test_a_new_file_replaces_the_kept_one(self, client, user) -> None:
        client.force_login(user)
        reference = kept_reference(post_new(client, kind="audio", title="", file=song()))
        post_new(
            client,
            kind="image",
            title="Dusk",
            staged_upload=reference,
            file=SimpleUploadedFile("dusk.png", samples.png()),
        )
        record = Record.objects.get()
        assert (record.kind, record.current_version.original_name) == ("image", "dusk.png")

    def test_a_kept_file_of_another_kind_than_the_new_choice(self, client, user) -> None:
        client.force_login(user)
        reference = kept_reference(post_new(client, kind="audio", title="", file=song()))
        response = post_new(client, kind="image", title="x", staged_upload=reference)
        assert response.context["form"].errors["file"] == [
            "This is a song or sound, not art — choose Music."
        ]
        assert kept_reference(response) == reference  # still chosen, still kept

    def test_another_members_reference_is_refused(self, client, user, make_user) -> None:
        client.force_login(user)
        reference = kept_reference(post_new(client, kind="audio", title="", file=song()))
        client.force_login(make_user("sable"))
        response = post_new(client, kind="audio", title="Mine now", staged_upload=reference)
        assert response.status_code == 400
        assert response.context["form"].errors["file"] == [
            "We could not use the file kept from before. Choose it again."
        ]
        assert not Record.objects.exists()

    @pytest.mark.parametrize("reference", ["x", "x" * 999, "a:b:c", "%00", "é" * 50])
    def test_a_changed_reference_is_a_form_error(self, client, user, reference) -> None:
        client.force_login(user)
        response = post_new(client, kind="audio", title="x", staged_upload=reference)
        assert response.status_code == 400
        assert response.context["form"].errors["file"]

    def test_a_reference_too_long_is_a_form_error(self, client, user) -> None:
        client.force_login(user)
        response = post_new(client, kind="audio", title="x", staged_upload="x" * 5000)
        assert response.status_code == 400
        assert response.context["form"].errors["file"] == [
            "We could not use the file kept from before. Choose it again."
        ]


class TestEditPage:
    def test_a_new_file_is_kept_across_an_error(self, client, make_record, user) -> None:
        record = make_record("image")
        client.force_login(user)
        url = reverse("records:edit", args=[record.pk])
        picture = SimpleUploadedFile("v2.png", samples.png(colour=(10, 200, 30)))
        response = client.post(url, {**SETTINGS, "title": "", "file": picture})
        assert response.status_code == 400
        response = client.post(
            url, {**SETTINGS, "title": "Dusk, again", "staged_upload": kept_reference(response)}
        )
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.current_version.number == 2
        assert record.current_version.original_name == "v2.png"

    def test_a_file_of_another_kind_names_the_records_kind(self, client, make_record, user):
        record = make_record("image")
        client.force_login(user)
        response = client.post(
            reverse("records:edit", args=[record.pk]), {**SETTINGS, "title": "x", "file": song()}
        )
        assert response.context["form"].errors["file"] == [
            "This is a song or sound, not a picture: a new version of this record must be a "
            "picture too."
        ]

    def test_a_records_text_cannot_be_emptied(self, client, make_record, user) -> None:
        record = make_record("text")
        client.force_login(user)
        response = client.post(
            reverse("records:edit", args=[record.pk]), {**SETTINGS, "title": "x", "body": ""}
        )
        assert response.context["form"].errors["body"] == [
            "Write something: a record's text cannot be empty."
        ]


class TestRemixPage:
    def test_a_refused_licence_keeps_the_file(self, client, make_record, make_user) -> None:
        source = make_record("text", licence="cc-by-nc")
        client.force_login(make_user("bo-remixer"))
        url = reverse("lineage:remix", args=[source.pk])
        sources = {
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "0",
            "sources-0-record": str(source.pk),
        }
        response = client.post(
            url, {**SETTINGS, **sources, "kind": "audio", "title": "Sung", "licence": "cc0",
                  "file": song("sung.wav")},
        )  # fmt: skip
        assert response.status_code == 400
        assert "cannot be released under CC0" in response.content.decode()
        response = client.post(
            url, {**SETTINGS, **sources, "kind": "audio", "title": "Sung", "licence": "cc-by-nc",
                  "staged_upload": kept_reference(response)},
        )  # fmt: skip
        remix = Record.objects.get(title="Sung")
        assert response["Location"] == remix.get_absolute_url()
        assert (remix.kind, remix.current_version.original_name) == ("audio", "sung.wav")


class TestOptionalMarks:
    @staticmethod
    def marked(page: str) -> set[str]:
        return set(re.findall(r'<label for="id_(\w+)">[^<]*<span class="optional">', page))

    def test_the_upload_page_marks_only_what_may_be_left_out(self, client, user) -> None:
        client.force_login(user)
        marked = self.marked(client.get(reverse("records:new")).content.decode())
        assert marked == {"cover", "description", "tags", "language"}

    def test_a_new_file_is_optional_on_the_edit_page_and_text_is_not(
        self, client, make_record, user
    ) -> None:
        client.force_login(user)
        picture, poem = make_record("image"), make_record("text")
        page = client.get(reverse("records:edit", args=[picture.pk])).content.decode()
        assert "file" in self.marked(page)
        page = client.get(reverse("records:edit", args=[poem.pk])).content.decode()
        assert "body" not in self.marked(page)

    def test_a_choice_that_always_has_a_value_is_not_optional(self, client, user) -> None:
        client.force_login(user)
        page = client.get(reverse("settings:profile")).content.decode()
        assert self.marked(page) == {"display_name", "bio", "links", "avatar"}
