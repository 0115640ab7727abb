"""A file's kind: recognised by its content, checked against the kind the person chose, and a
file of another kind named as what it is — with real tiny files."""

import pytest

from riffhouse.core.errors import ApplicationError
from riffhouse.records import content
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

POEM = b"Moon over the harbour,\nnets full of light.\n"


def files() -> dict[str, bytes]:
    return {
        "text": POEM,
        "image": samples.png(),
        "audio": samples.wav(seconds=0.5),
        # Without sound: a film with a soundtrack is also music (its sound is used).
        "video": samples.mp4(seconds=0.5, audio=False),
    }


FORM_MESSAGES = {
    ("text", "image"): "This is a text file, not art — paste it into Text or choose Writing.",
    ("text", "audio"): "This is a text file, not music — paste it into Text or choose Writing.",
    ("text", "video"): "This is a text file, not a film — paste it into Text or choose Writing.",
    ("image", "text"): "This is a picture, not writing — choose Art.",
    ("image", "audio"): "This is a picture, not music — choose Art.",
    ("image", "video"): "This is a picture, not a film — choose Art.",
    ("audio", "text"): "This is a song or sound, not writing — choose Music.",
    ("audio", "image"): "This is a song or sound, not art — choose Music.",
    ("audio", "video"): "This is a song or sound, not a film — choose Music.",
    ("video", "text"): "This is a film or animation, not writing — choose Film.",
    ("video", "image"): "This is a film or animation, not art — choose Film.",
    ("video", "audio"): "This is a film or animation, not music — choose Film.",
}


class TestRecognised:
    @pytest.mark.parametrize("kind", ["text", "image", "audio", "video"])
    def test_each_kind_by_its_content(self, kind: str) -> None:
        # The name says nothing: "upload.bin" for all of them.
        assert content.record_detect_kind(upload=upload(files()[kind], "upload.bin")) == kind

    def test_an_svg_is_a_picture_we_do_not_take_not_a_text_file(self) -> None:
        svg = b"<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg'></svg>"
        with pytest.raises(ApplicationError) as error:
            content.record_detect_kind(upload=upload(svg, "logo.svg"))
        assert error.value.code == "unsupported_format"
        assert "SVG pictures are not supported" in error.value.detail

    def test_a_file_of_no_kind_we_take_says_what_we_take(self) -> None:
        with pytest.raises(ApplicationError) as error:
            content.record_detect_kind(upload=upload(b"%PDF-1.7\x00\x01\x02\xff", "a.pdf"))
        assert error.value.code == "unsupported_format"
        assert error.value.detail == content.UNRECOGNISED


class TestChosenKind:
    @pytest.mark.parametrize(("actual", "chosen"), FORM_MESSAGES)
    def test_a_file_of_another_kind_is_named_as_what_it_is(self, actual, chosen) -> None:
        with pytest.raises(ApplicationError) as error:
            content.upload_check(upload=upload(files()[actual]), kind=chosen, where="form")
        assert (error.value.code, error.value.field) == ("wrong_kind", "file")
        assert error.value.detail == FORM_MESSAGES[actual, chosen]

    @pytest.mark.parametrize("kind", ["text", "image", "audio", "video"])
    def test_the_right_kind_passes(self, kind: str) -> None:
        assert content.upload_check(upload=upload(files()[kind]), kind=kind) == kind

    def test_a_film_with_sound_may_be_shared_as_music(self) -> None:
        film = upload(samples.mp4(seconds=0.5))
        assert content.upload_check(upload=film, kind="audio") == "audio"

    def test_without_a_choice_the_content_decides(self) -> None:
        assert content.upload_check(upload=upload(samples.wav(0.5)), kind=None) == "audio"

    def test_a_new_version_keeps_the_records_kind(self) -> None:
        with pytest.raises(ApplicationError) as error:
            content.upload_check(upload=upload(samples.wav(0.5)), kind="image", where="version")
        assert error.value.detail == (
            "This is a song or sound, not a picture: a new version of this record must be a "
            "picture too."
        )

    def test_the_api_names_the_kind_to_send(self) -> None:
        with pytest.raises(ApplicationError) as error:
            content.upload_check(upload=upload(POEM), kind="audio", where="api")
        assert error.value.detail == (
            "This is a text file, not a song or sound: send its text as `body` with kind “text”."
        )

    def test_a_damaged_file_of_the_chosen_kind_is_called_damaged(self) -> None:
        with pytest.raises(ApplicationError) as error:
            content.upload_check(upload=upload(samples.png()[:60]), kind="image")
        assert error.value.code == "corrupt"
