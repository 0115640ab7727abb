"""`riffhouse demo`: fill an empty instance with demo members, their work, its lineage, the
productions and a living community (follows, hearts, comment threads, notifications).

Every object is made through the apps' services, exactly as a person would make it. The
logins are printed and kept in the data directory (demo-logins.txt, readable only by you).
"""

import io
import multiprocessing
import os
import secrets
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import Role
from riffhouse.core.isolation import isolation_preload
from riffhouse.demo import community as demo_community
from riffhouse.demo import media
from riffhouse.demo import productions as demo_productions
from riffhouse.demo.art import abstract_portrait
from riffhouse.lineage import rules as lineage_rules
from riffhouse.lineage import services as lineage
from riffhouse.lineage.services import SourceSpec
from riffhouse.records import services as records
from riffhouse.records.content import Upload
from riffhouse.records.models import Record

MEMBERS: list[dict[str, Any]] = [
    {
        "username": "ada",
        "display_name": "Ada Okafor",
        "role": Role.ADMIN,
        "palette": "space",
        "bio": "Runs this Riffhouse. Writes short fiction about lighthouses and satellites.",
    },
    {
        "username": "juno",
        "display_name": "Juno Park",
        "role": Role.STAFF,
        "palette": "games",
        "bio": "Producer on staff. Turns open calls into episodes, anthologies and albums.",
    },
    {
        "username": "orion",
        "display_name": "Orion Vale",
        "role": Role.MEMBER,
        "palette": "space",
        "bio": "Synths, field recordings and songs about leaving Earth.",
        "links": ["https://orion.example/music"],
    },
    {
        "username": "sable",
        "display_name": "Sable Quinn",
        "role": Role.MEMBER,
        "palette": "fantasy",
        "bio": "Illustrator. Dragons, maps, and the people who draw them.",
        "links": ["https://sable.example", "https://portfolio.example/sable"],
    },
    {
        "username": "mira",
        "display_name": "Mira Solis",
        "role": Role.MEMBER,
        "palette": "money",
        "bio": "Poet. Small poems about big numbers, rent day and lucky coins.",
    },
    {
        "username": "tomas",
        "display_name": "Tomás Reyes",
        "role": Role.MODERATOR,
        "palette": "games",
        "bio": "Animator and community moderator. Frame by frame.",
    },
]


class _Media:
    """A record's file, being made in the pool."""

    def __init__(self, name: str, data: "Future[bytes]") -> None:
        self.name = name
        self.data = data

    def upload(self) -> Upload:
        data = self.data.result()
        return Upload(handle=io.BytesIO(data), name=self.name, size=len(data))


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        if get_user_model().objects.exists():
            raise CommandError(
                "The database already has members; the demo fills only an empty instance."
            )
        # Most of the demo's sandboxed children process media: they start with the decoders
        # already imported (a third of a second each otherwise).
        isolation_preload(modules=["riffhouse.records.media.sandbox"])
        lines = ["Demo logins (also in {}):".format(settings.DATA_DIR / "demo-logins.txt")]
        # The records' media are drawn, composed and encoded side by side in processes of
        # their own, while the members are made.
        with (
            ProcessPoolExecutor(
                max_workers=demo_productions.SIDE_BY_SIDE,
                mp_context=multiprocessing.get_context("forkserver"),
            ) as pool,
            transaction.atomic(),
        ):
            planned = self._plan(pool)
            for seed, spec in enumerate(MEMBERS):
                password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
                user = accounts.user_create(
                    username=spec["username"],
                    email=f"{spec['username']}@riffhouse.localhost",
                    password=password,
                    display_name=spec["display_name"],
                    bio=spec["bio"],
                    links=spec.get("links", []),
                    role=spec["role"],
                )
                portrait = abstract_portrait(seed=seed + 1, palette=spec["palette"])
                accounts.user_set_avatar(user=user, upload=io.BytesIO(portrait), size=len(portrait))
                lines.append(f"  {spec['username']:<8} {password:<20} {spec['role']}")
            self._records(planned)
            pool.shutdown()  # every file is made
            self._lineage()
            members = {user.username: user for user in get_user_model().objects.all()}
            productions = demo_productions.build(members=members, made=self.made)
            talk = demo_community.build(members=members)
            made = Record.objects.count()
        # The notifications all that made wait in the job queue: deliver them now, so each
        # member's badge shows them at their first log-in (the worker starts only after).
        demo_community.notifications_deliver_queued()
        text = "\n".join(lines) + "\n"
        path = settings.DATA_DIR / "demo-logins.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        self.stdout.write(
            f"Created {len(MEMBERS)} demo members, {made} records and three productions "
            f"(“{productions.space}” released, “{productions.fantasy}” open for submissions, "
            f"“{productions.games}” being curated); the worker processes the rest of the "
            f"media in the background. They follow each other, heart the work and talk about it "
            f"in {talk} comments; their notifications are waiting."
        )

    def _plan(self, pool: Executor) -> list[tuple[str, str, dict[str, Any]]]:
        """Work across the four themes, each piece by the member whose bio fits it: (author,
        kind, fields) in the order they are made, their media already being drawn, composed
        and encoded in `pool` (`_Media`)."""
        writers = {"poem": "mira", "story": "sable", "lyrics": "orion", "script": "ada"}
        artists = {"space": "ada", "fantasy": "sable", "games": "tomas", "money": "mira"}
        musicians = {"space": "orion", "fantasy": "sable", "games": "juno", "money": "mira"}
        planned: list[tuple[str, str, dict[str, Any]]] = []

        def make(author: str, kind: str, **fields: Any) -> None:
            planned.append((author, kind, fields))

        def upload(name: str, make_media: Callable[..., bytes], **kwargs: Any) -> _Media:
            return _Media(name, pool.submit(make_media, **kwargs))

        for text in media.texts():
            # The page shows the title above the text; the body need not repeat it.
            body = text.body.removeprefix(f"# {text.title}").lstrip("\n")
            make(
                writers[text.form],
                "text",
                title=text.title,
                body=body,
                description=text.description,
                tags=text.tags,
            )
        for seed, (theme, title, description) in enumerate(media.image_titles()):
            make(
                artists[theme],
                "image",
                title=title,
                description=description,
                tags=[theme, "illustration"],
                upload=upload(f"{theme}.png", media.image_png, theme=theme, seed=seed),
            )
        seen: set[str] = set()
        for seed, (theme, title, description) in enumerate(media.music_titles()):
            # One track per theme keeps the first start quick, plus the one that scores a
            # picture (its card borrows the picture's art).
            if theme in seen and title != self.SCORES_A_PICTURE:
                continue
            seen.add(theme)
            # One track shows a cover its author added; the others draw theirs from the sound.
            cover = (
                upload("c.png", media.image_png, theme=theme, seed=seed + 40, width=900, height=900)
                if title == self.WITH_COVER
                else None
            )
            make(
                musicians[theme],
                "audio",
                title=title,
                description=description,
                tags=[theme, "music"],
                upload=upload(f"{theme}.flac", media.music_flac, theme=theme, seed=seed),
                cover=cover,
            )
        for seed, (theme, title, description) in enumerate(media.animation_titles()):
            make(
                "tomas" if theme != "space" else "orion",
                "video",
                title=title,
                description=description,
                tags=[theme, "animation"],
                upload=upload(f"{theme}.mp4", media.animation_mp4, theme=theme, seed=seed),
            )
        make(
            "mira",
            "text",
            title="Notes for a poem about coins",
            visibility="draft",
            body="Heads, tails, and the thin\nedge nobody bets on.",
            tags=["money", "draft"],
        )
        return planned

    def _records(self, planned: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Make the planned records, in order, as their authors would."""
        members = {user.username: user for user in get_user_model().objects.all()}
        policies = ["open", "open", "ask", "open", "closed", "open", "open", "ask"]
        licences = [
            "riffhouse",
            "cc-by",
            "cc-by-sa",
            "riffhouse",
            "arr",
            "cc-by-nc",
            "riffhouse",
            "cc0",
        ]
        self.made: dict[tuple[str, str], Record] = {}
        for count, (author, kind, fields) in enumerate(planned):
            uploads = {
                field: value.upload()
                for field, value in fields.items()
                if isinstance(value, _Media)
            }
            self.made[fields["title"], kind] = records.record_create(
                author=members[author],
                kind=kind,
                language="en",
                remix_policy=policies[count % len(policies)],
                licence=licences[count % len(licences)],
                **{**fields, **uploads},
            )

    # Remix chains and branches across kinds: (remix, sources with what each used).
    LINEAGE: list[tuple[tuple[str, str], list[tuple[tuple[str, str], str]]]] = [
        (
            ("Far Side of the Nebula", "image"),
            [(("Night Shift at the Observatory", "text"), "imagery")],
        ),
        (("Launch Window", "video"), [(("Far Side of the Nebula", "image"), "backgrounds")]),
        (("Lydian Drift", "audio"), [(("Night Shift at the Observatory", "text"), "mood")]),
        (
            ("Five Ridges to the Moon", "image"),
            [(("The Cartographer's Last Map", "text"), "the map")],
        ),
        (
            ("The Cartographer's Waltz", "audio"),
            [(("The Cartographer's Last Map", "text"), "story")],
        ),
        (("Insert Coin", "audio"), [(("Extra Life", "text"), "lyrics")]),
        (
            ("Orchard at Dusk", "audio"),
            [(("The Castle on the Crag", "image"), "the scene it scores")],
        ),
        (("Save Point", "text"), [(("Extra Life", "text"), "a reply")]),
        (
            ("Speedrun", "video"),
            [(("Level 1-1", "image"), "level design"), (("Save Point", "text"), "title cards")],
        ),
        # Asks first: this one waits for Sable's answer.
        (("Small Change, Big Plans", "image"), [(("Small Change", "text"), "characters")]),
    ]
    ASKS_FIRST = ("Small Change", "text")
    WITH_COVER = "Lydian Drift"
    SCORES_A_PICTURE = "Orchard at Dusk"
    CLOSED = ("Docking Window", "text")

    def _lineage(self) -> None:
        """Link the demo's work into remix chains, the way members would: sources get ready
        first (processed here rather than by the worker), then each remix names them."""
        made = self.made
        sources = {source for _, links in self.LINEAGE for source, _ in links}
        for key in sorted(sources):
            record = made[key]
            assert record.author is not None
            policy = "ask" if key == self.ASKS_FIRST else "open"
            licence = "riffhouse" if key == self.ASKS_FIRST else record.licence
            if licence == "arr":
                licence = "riffhouse"
            records.record_update(
                actor=record.author, record=record, remix_policy=policy, licence=licence
            )
            assert record.current_version_id is not None
        demo_productions.media_ready(*[made[key] for key in sorted(sources)])
        closed = made[self.CLOSED]
        assert closed.author is not None
        records.record_update(actor=closed.author, record=closed, remix_policy="closed")
        for key, links in self.LINEAGE:
            remix = made[key]
            author = remix.author
            assert author is not None
            used = [made[source] for source, _ in links]
            for source in used:
                source.refresh_from_db()
            proposed = lineage_rules.proposed_licence(sources=used)
            assert proposed is not None
            records.record_update(actor=author, record=remix, licence=proposed)
            lineage.record_sources_set(
                actor=author,
                record=remix,
                sources=[SourceSpec(made[s].pk, usage=usage) for s, usage in links],
                message="I would love to build on this — the characters are perfect.",
            )
