"""The demo's productions, made through productions' services as their producers would:

- **Leaving Earth** (theme Space), an official episode Juno (staff) produced and released:
  four needs, submissions from several members (some declined or kept on the shortlist,
  with notes), a lineup of video, a picture, a song, more art and a poem after Juno's own
  title card, and fairness rules it passes. Its credits reach up the remix chains (Launch
  Window stands on Far Side of the Nebula, which stands on Night Shift at the Observatory).
- **Maps and Dragons** (theme Fantasy), an anthology Sable has open for submissions,
  closing in two weeks: needs (one seeded with her story to illustrate) and fresh
  submissions, one waiting for its author's consent.
- **Game Night** (theme Games), an anthology Tomás is curating: submissions shortlisted,
  selected and declined with a note, and a lineup he has started.

Every record these use is processed here first (rather than by the worker), because only a
processed record can be submitted and lineups check in/out points against the media's real
length.
"""

import io
import os
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from riffhouse.accounts.models import User
from riffhouse.demo import media
from riffhouse.productions import fairness, release, services, submissions
from riffhouse.productions.covers import production_cover_process, production_cover_set
from riffhouse.productions.lineup import SegmentSpec, lineup_set, media_duration_ms
from riffhouse.productions.models import Need, Production, Submission
from riffhouse.records import services as records
from riffhouse.records.content import Upload
from riffhouse.records.models import Record
from riffhouse.records.processing import versions_process

Made = dict[tuple[str, str], Record]

TITLE_CARD = "Tonight: Space"


@dataclass(frozen=True)
class DemoProductions:
    space: Production
    fantasy: Production
    games: Production
    title_card: Record


def _upload(data: bytes, name: str) -> Upload:
    return Upload(handle=io.BytesIO(data), name=name, size=len(data))


# The media work of this many records runs at once (each in its own child process): the
# cores, at least two (a child waits on its files too) and at most four (memory).
SIDE_BY_SIDE = min(4, max(2, os.cpu_count() or 1))


def media_ready(*records: Record) -> list[Record]:
    """Process the records' media now (the worker would, later), side by side, and return
    them fresh."""
    ids = [record.current_version_id for record in records]
    assert None not in ids
    versions_process(version_ids=[i for i in ids if i is not None], side_by_side=SIDE_BY_SIDE)
    for record in records:
        record.refresh_from_db()
    return list(records)


def title_card_png(*, text: str, theme: str, seed: int) -> bytes:
    """A 16:9 title card: a demo picture with `text` set large across its upper third (the
    player puts its play button in the middle and the segment's caption at the bottom)."""
    picture = media.image(theme=theme, seed=seed, width=1280, height=720).convert("RGBA")
    font = ImageFont.load_default(size=112)
    left, top, right, bottom = ImageDraw.Draw(picture).textbbox((0, 0), text, font=font)
    x = (picture.width - (right - left)) / 2 - left
    y = picture.height * 0.28 - (bottom - top) / 2 - top
    # A dark band behind the words keeps them readable over any planet.
    band = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    ImageDraw.Draw(band).rectangle(
        (0, y + top - 36, picture.width, y + bottom + 36), fill=(8, 10, 30, 120)
    )
    picture = Image.alpha_composite(picture, band).convert("RGB")
    draw = ImageDraw.Draw(picture)
    draw.text((x + 4, y + 5), text, font=font, fill=(8, 10, 30))
    draw.text((x, y), text, font=font, fill=(250, 246, 232))
    return media.png(picture)


def _cover(producer: User, production: Production, *, theme: str, seed: int) -> None:
    # Covers are shown at most 640 px wide (records' cover rendition): no need to paint more.
    data = media.image_png(theme=theme, seed=seed, width=960, height=540)
    cover = production_cover_set(
        actor=producer, production=production, upload=_upload(data, f"{theme}-cover.png")
    )
    production_cover_process(cover_id=cover.pk)  # the job, run here


def _decide(producer: User, submission: Submission, *steps: str, note: str = "") -> None:
    """Move a submission through `steps` (the last one with `note`), one action each."""
    for index, status in enumerate(steps):
        last = index == len(steps) - 1
        submissions.submission_decide(
            actor=producer, submission=submission, status=status, note=note if last else ""
        )


def _timed(submission: Submission, *, start_ms: int = 0, end_ms: int | None = None) -> SegmentSpec:
    """A segment of audio or video from `start_ms` to `end_ms` (or to the end), kept within
    the media's real length."""
    length = media_duration_ms(version=submission.record_version)
    assert length is not None, f"{submission.record.title} has no measured length"
    out_ms = length if end_ms is None else min(end_ms, length)
    return SegmentSpec(
        submission_id=submission.pk,
        in_ms=min(start_ms, out_ms - 1000),
        out_ms=out_ms,
        title=submission.record.title,
    )


def build(*, members: dict[str, User], made: Made) -> DemoProductions:
    """Make the three productions from the demo's members and records (see the module)."""
    keys = [
        ("Launch Window", "video"),
        ("Lydian Drift", "audio"),
        ("Ringed Giant", "image"),
        ("Five Ridges to the Moon", "image"),
        ("The Cartographer's Waltz", "audio"),
        ("Orchard at Dusk", "audio"),
        ("Moonlight Flyover", "video"),
        ("The Dragon Takes Up Gardening", "text"),
        ("Parallax Hills", "image"),
        ("Insert Coin", "audio"),
        ("Speedrun", "video"),
        ("Docking Window", "text"),
        ("Rent Day", "text"),
    ]
    card = records.record_create(
        author=members["juno"],
        kind="image",
        title=TITLE_CARD,
        description="The title card that opens the Space episode.",
        tags=["space", "title card"],
        language="en",
        licence="riffhouse",
        remix_policy="open",
        upload=_upload(title_card_png(text=TITLE_CARD, theme="space", seed=11), "card.png"),
    )
    media_ready(*[made[key] for key in keys], card)
    return DemoProductions(
        space=_space(members, made, card),
        fantasy=_fantasy(members, made),
        games=_games(members, made),
        title_card=card,
    )


SPACE_BRIEF = (
    "An evening off-planet: a launch, a far nebula, a song for the ride and a poem from the "
    "observatory where it all began.\n\n"
    "We are looking for **short** pieces (under a minute each) that feel like *leaving "
    "Earth*: the countdown, the view back, the night shift that watches it all. Remixes are "
    "welcome — the seed poem is there to build on."
)


def _space(members: dict[str, User], made: Made, card: Record) -> Production:
    juno = members["juno"]
    space = services.production_create(
        actor=juno, kind="episode", title="Leaving Earth", theme="Space", brief=SPACE_BRIEF
    )
    _cover(juno, space, theme="space", seed=21)
    song = services.need_create(
        actor=juno,
        production=space,
        title="A song about leaving Earth",
        kinds=["audio"],
        description="Something to drift to while the planet gets small. Remix the poem if "
        "it helps.",
        seed=made["Night Shift at the Observatory", "text"],
    )
    pictures = services.need_create(
        actor=juno,
        production=space,
        title="The far side, in pictures",
        kinds=["image"],
        description="Planets, nebulae, the view from the porthole.",
        wanted=2,
    )
    poem = services.need_create(
        actor=juno,
        production=space,
        title="A poem for the countdown",
        kinds=["text"],
        description="Short enough to read before the engines light.",
    )
    footage = services.need_create(
        actor=juno,
        production=space,
        title="Launch footage",
        kinds=["video"],
        description="A few seconds of lift-off, drawn, filmed or animated.",
    )
    services.production_status_set(actor=juno, production=space, status="open")

    def submit(who: str, key: tuple[str, str], need: Need, message: str) -> Submission:
        return submissions.submission_create(
            actor=members[who], production=space, record=made[key], need=need, message=message
        )

    lydian = submit(
        "orion",
        ("Lydian Drift", "audio"),
        song,
        "Made from Mira's poem: the bells are the observatory's clock.",
    )
    waltz = submit(
        "sable",
        ("The Cartographer's Waltz", "audio"),
        song,
        "Maps of the sky count too, I hope!",
    )
    far_side = submit(
        "ada", ("Far Side of the Nebula", "image"), pictures, "Painted from the poem."
    )
    ringed = submit("ada", ("Ringed Giant", "image"), pictures, "")
    castle = submit(
        "sable",
        ("The Castle on the Crag", "image"),
        pictures,
        "There is a moon in it…",
    )
    night_shift = submit(
        "mira",
        ("Night Shift at the Observatory", "text"),
        poem,
        "The poem the others grew from.",
    )
    docking = submit("ada", ("Docking Window", "text"), poem, "Not a poem, but it counts down.")
    launch = submit(
        "orion",
        ("Launch Window", "video"),
        footage,
        "Animated over Ada's nebula, which came from Mira's poem.",
    )
    flyover = submit("tomas", ("Moonlight Flyover", "video"), footage, "It flies past the moon!")

    services.production_status_set(actor=juno, production=space, status="curating")
    _decide(juno, lydian, "shortlisted", "selected", note="Our song for the ride up.")
    _decide(
        juno,
        waltz,
        "declined",
        note="A lovely waltz, but it stays on Earth: it would suit Sable's Fantasy call.",
    )
    _decide(juno, far_side, "selected")
    _decide(juno, ringed, "shortlisted", "selected")
    _decide(
        juno,
        castle,
        "declined",
        note="Beautiful, but that moon rises over a castle — send it to the Fantasy call!",
    )
    _decide(juno, night_shift, "selected", note="The poem the whole episode grew from.")
    _decide(juno, docking, "shortlisted", note="Funny: kept for a longer episode.")
    _decide(juno, launch, "selected")
    _decide(juno, flyover, "declined", note="A dragon, not a rocket — try the Fantasy call.")

    # About a minute: Juno's title card, the launch, the far side, the song (its bells from
    # two seconds in), the giant, and the poem everything grew from.
    lineup_set(
        actor=juno,
        production=space,
        version=space.lineup_version,
        segments=[
            SegmentSpec(
                kind="link",
                record_id=card.pk,
                duration_ms=5_000,
                title=TITLE_CARD,
                notes="Juno's card: hold it over the first bars.",
            ),
            _timed(launch),
            SegmentSpec(
                submission_id=far_side.pk, duration_ms=8_000, title="Far Side of the Nebula"
            ),
            _timed(lydian, start_ms=2_000),
            SegmentSpec(submission_id=ringed.pk, duration_ms=8_000, title="Ringed Giant"),
            SegmentSpec(
                submission_id=night_shift.pk,
                duration_ms=20_000,
                title="Night Shift at the Observatory",
                notes="Read slowly; end on the stars.",
            ),
        ],
    )
    # The poem at the root of the chains holds the largest share (it is in four segments);
    # the rules keep anyone under half and producers and staff (Juno's card, Ada's art)
    # at most a third and a bit.
    fairness.fairness_rules_set(
        actor=juno,
        production=space,
        max_contributor_percent=50,
        max_producers_percent=35,
        min_contributors=4,
        source_share_percent=space.source_share_percent,
    )
    release.production_release(actor=juno, production=space)
    release.release_run(production_id=space.pk)  # the job, run here
    space.refresh_from_db()
    return space


FANTASY_BRIEF = (
    "Dragons, maps and the people who draw them. An anthology of short pieces from one "
    "world: a cartographer's last journey, the castle at the edge of her map, and whatever "
    "flies over it.\n\n"
    "Start from **The Cartographer's Last Map** if you like — illustrate it, score it, or "
    "tell us what she found."
)


def _fantasy(members: dict[str, User], made: Made) -> Production:
    sable = members["sable"]
    # Deadlines on the hour, as a person would set them.
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    fantasy = services.production_create(
        actor=sable,
        kind="anthology",
        title="Maps and Dragons",
        theme="Fantasy",
        brief=FANTASY_BRIEF,
        submission_deadline=now + timedelta(days=14),
    )
    _cover(sable, fantasy, theme="fantasy", seed=31)
    illustrations = services.need_create(
        actor=sable,
        production=fantasy,
        title="Illustrations for The Cartographer's Last Map",
        kinds=["image"],
        description="Her map, her mountains, the castle she never reached. Remix the story.",
        wanted=3,
        seed=made["The Cartographer's Last Map", "text"],
    )
    music = services.need_create(
        actor=sable,
        production=fantasy,
        title="Music for the map room",
        kinds=["audio"],
        description="Something to play while the ink dries.",
        wanted=2,
        deadline=now + timedelta(days=10),
    )
    dragons = services.need_create(
        actor=sable,
        production=fantasy,
        title="Here be dragons",
        kinds=["text", "video"],
        description="A story or a short animation with a dragon in it (any size of dragon).",
        wanted=2,
    )
    services.production_status_set(actor=sable, production=fantasy, status="open")
    for who, key, need, message in [
        ("sable", ("Five Ridges to the Moon", "image"), illustrations, "My own try at the map."),
        (
            "ada",
            ("The Castle on the Crag", "image"),
            illustrations,
            "Isn't this the castle at the edge of the map?",
        ),
        (
            "orion",
            ("The Cartographer's Waltz", "audio"),
            music,
            "Sable's waltz was written for this story.",
        ),
        # Sable asks to be asked first: this one waits for her answer.
        ("juno", ("Orchard at Dusk", "audio"), music, "The castle's own soundtrack."),
        ("tomas", ("Moonlight Flyover", "video"), dragons, "One dragon, one moon, one castle."),
        (
            "mira",
            ("The Dragon Takes Up Gardening", "text"),
            dragons,
            "A small dragon, a large garden.",
        ),
    ]:
        submissions.submission_create(
            actor=members[who], production=fantasy, record=made[key], need=need, message=message
        )
    return fantasy


GAMES_BRIEF = (
    "Press start. An anthology of pixel art, chiptune, level design and the small stories "
    "that happen between lives: a title screen, a theme tune, words between levels and a "
    "speedrun."
)


def _games(members: dict[str, User], made: Made) -> Production:
    tomas = members["tomas"]
    games = services.production_create(
        actor=tomas, kind="anthology", title="Game Night", theme="Games", brief=GAMES_BRIEF
    )
    _cover(tomas, games, theme="games", seed=41)
    art = services.need_create(
        actor=tomas,
        production=games,
        title="Title screens",
        kinds=["image"],
        description="Pixel art for the screen before you press start.",
        wanted=2,
    )
    tune = services.need_create(
        actor=tomas,
        production=games,
        title="A theme tune",
        kinds=["audio"],
        description="Eight bits, a hook you hum all day.",
    )
    words = services.need_create(
        actor=tomas,
        production=games,
        title="Words between levels",
        kinds=["text"],
        description="Lyrics, a short story or a poem for the loading screen.",
        wanted=2,
    )
    footage = services.need_create(
        actor=tomas,
        production=games,
        title="Gameplay",
        kinds=["video"],
        description="A few seconds of someone playing (or speedrunning).",
    )
    services.production_status_set(actor=tomas, production=games, status="open")

    def submit(who: str, key: tuple[str, str], need: Need, message: str = "") -> Submission:
        return submissions.submission_create(
            actor=members[who], production=games, record=made[key], need=need, message=message
        )

    level = submit("tomas", ("Level 1-1", "image"), art, "The first level, as a title screen.")
    hills = submit(
        "sable", ("Parallax Hills", "image"), art, "Tomás's hills would make a calm menu."
    )
    coin = submit("juno", ("Insert Coin", "audio"), tune, "Sung from Orion's lyrics.")
    extra = submit("orion", ("Extra Life", "text"), words, "Lyrics for the game-over screen.")
    save = submit("mira", ("Save Point", "text"), words, "A reply to Extra Life.")
    rent = submit("mira", ("Rent Day", "text"), words, "A level everyone has played.")
    speedrun = submit("tomas", ("Speedrun", "video"), footage, "Level 1-1, as fast as it goes.")
    services.production_status_set(actor=tomas, production=games, status="curating")
    _decide(tomas, level, "selected", note="Our opening screen.")
    _decide(tomas, hills, "shortlisted", note="Maybe for the credits.")
    _decide(tomas, coin, "shortlisted", "selected")
    _decide(tomas, extra, "selected")
    _decide(tomas, save, "shortlisted")
    _decide(
        tomas,
        rent,
        "declined",
        note="Lovely, but it belongs in a Money episode — we'll tell you when one opens.",
    )
    _decide(tomas, speedrun, "selected")
    # A start: the title screen, the tune under it, and the speedrun. Extra Life and the
    # shortlisted pieces are still to place.
    lineup_set(
        actor=tomas,
        production=games,
        version=games.lineup_version,
        segments=[
            SegmentSpec(submission_id=level.pk, duration_ms=6_000, title="Title screen"),
            _timed(coin, end_ms=12_000),
            _timed(speedrun),
        ],
    )
    games.refresh_from_db()
    return games
