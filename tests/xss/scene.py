"""Riffhouse filled with the XSS corpus through the real services, and the pages that show it.

`xss_scene()` puts the vectors (`tests.xss.vectors`) into every field a member fills and
others see, then lists each page that shows them (`Scene.pages`: who looks, where, which
vectors in which fields). Long fields (descriptions, bodies, bios, briefs, messages, notes)
hold a batch of 25 vectors each; short fields (titles, display names, themes, usages) hold as
many as fit (`packed`), over as many objects as the corpus needs for the fields people see
in lists. A vector a field refuses (a tag is letters and digits; a link is an http(s)
address; a name holds no control characters) is recorded in `Scene.refused`: it is never
stored, so it can never be shown.

Per batch b of 25 vectors:
- an owner (display name, bio, links) with a source record (title, description, Markdown
  body, tags tried) that asks before remixes; a remixer (display name) whose remix (usage,
  message to the owner) the owner approves (answer note);
- a production (title, theme, Markdown brief) with a need (title, description); the remix is
  submitted to it (message), selected (note), lined up (segment title and notes) and
  released.
Then, for the short fields people see in lists: a member per display-name group, each with a
record per title group; an open call per production-title group, with a need per need-title
group.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client, override_settings
from django.urls import reverse

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.core.text import name_check, text_problem
from riffhouse.lineage import services as lineage
from riffhouse.lineage.models import RemixRequest
from riffhouse.productions import services as productions
from riffhouse.productions import submissions
from riffhouse.productions.fairness import fairness_rules_set
from riffhouse.productions.lineup import SegmentSpec
from riffhouse.productions.models import Production
from riffhouse.productions.tests.scenes import line_up, release_now
from riffhouse.records import services as records
from riffhouse.records.hooks import SourceSpec
from riffhouse.records.models import Record
from tests.xss.community import COMMENT_FIELDS, community_batch, community_lists
from tests.xss.vectors import (
    VECTORS,
    VECTORS_BY_ID,
    Vector,
    joined,
    packed,
    spaced,
    vectors_in_batches,
)

BATCH = 25
PASSWORD = "a-long-and-lovely-passphrase"


@dataclass
class Page:
    """A page a member opens (`viewer`: a username, or "" for a visitor), and the vectors it
    shows in which fields: {field: vector ids}."""

    viewer: str
    url: str
    shows: dict[str, set[int]] = field(default_factory=dict)
    # Request headers: an htmx fragment (`HX-Request`, `HX-Target`) rather than the page.
    headers: dict[str, str] = field(default_factory=dict)

    def show(self, field_name: str, vectors: Iterable[Vector]) -> None:
        self.shows.setdefault(field_name, set()).update(v.id for v in vectors)

    @property
    def combinations(self) -> int:
        return sum(len(ids) for ids in self.shows.values())


@dataclass
class Scene:
    pages: list[Page] = field(default_factory=list)
    # field -> ids of the vectors the field refused (never stored).
    refused: dict[str, set[int]] = field(default_factory=dict)
    # field -> ids of the vectors stored in it.
    stored: dict[str, set[int]] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    api_urls: list[tuple[str, str]] = field(default_factory=list)  # (viewer, url)

    def page(self, viewer: str, url: str, headers: dict[str, str] | None = None) -> Page:
        headers = headers or {}
        for page in self.pages:
            if page.viewer == viewer and page.url == url and page.headers == headers:
                return page
        self.pages.append(page := Page(viewer, url, headers=headers))
        return page

    def store(self, field_name: str, vectors: Iterable[Vector]) -> None:
        self.stored.setdefault(field_name, set()).update(v.id for v in vectors)

    def refuse(self, field_name: str, vectors: Iterable[Vector]) -> None:
        self.refused.setdefault(field_name, set()).update(v.id for v in vectors)

    @property
    def combinations(self) -> int:
        """How many vector x field x page combinations the pages show."""
        return sum(page.combinations for page in self.pages)


def sendable(vectors: Iterable[Vector]) -> list[Vector]:
    """The vectors a request can carry at all: `TextInputMiddleware` refuses control
    characters (NUL...) in every request before any view sees them."""
    return [v for v in vectors if text_problem(v.text) is None]


def _try(
    scene: Scene, field_name: str, vectors: list[Vector], write: Callable[..., Any], **kwargs: Any
) -> Any:
    """Run `write(**kwargs)` (a service call storing `vectors` in `field_name`); a refusal
    is recorded."""
    try:
        result = write(**kwargs)
    except ApplicationError:
        scene.refuse(field_name, vectors)
        return None
    scene.store(field_name, vectors)
    return result


def _nameable(vector: Vector) -> bool:
    try:
        name_check(vector.text, field="title", what="The title")
    except ApplicationError:
        return False
    return True


def _member(scene: Scene, username: str, name_vectors: list[Vector], **fields: Any) -> User:
    user = accounts.user_create(
        username=username, email=f"{username}@ex.org", password=PASSWORD, **fields
    )
    if name_vectors:
        _try(
            scene,
            "display_name",
            name_vectors,
            accounts.user_update_profile,
            user=user,
            display_name=spaced(name_vectors),
        )
    return user


class QuickHasher(PBKDF2PasswordHasher):
    """PBKDF2 at one round: the scene makes two hundred members, and Argon2 takes most of a
    second each on a busy machine. The server still checks these hashes (PBKDF2 reads its
    rounds from the hash) and upgrades them at the first log-in."""

    iterations = 1


def xss_scene(*, vectors: tuple[Vector, ...] = VECTORS) -> Scene:
    """Store `vectors` in every field (see the module docstring) and list the pages."""
    # Each batch's members comment, follow and report more than a new account may in a
    # minute: the limits are not what this scene tests.
    unlimited = dict.fromkeys(settings.RATE_LIMITS, (100000, 60))
    with override_settings(
        PASSWORD_HASHERS=["tests.xss.scene.QuickHasher"],
        RATE_LIMITS=unlimited,
        RATE_LIMITS_NEW=unlimited,
    ):
        return _scene(vectors)


def _scene(vectors: tuple[Vector, ...]) -> Scene:
    scene = Scene()
    usable = sendable(vectors)
    scene.refuse("every field", [v for v in vectors if v not in usable])
    reader = accounts.user_create(
        username="reader", email="reader@ex.org", password=PASSWORD, display_name="Reader"
    )
    del reader
    # Names people see in lists refuse bidi controls and invisible characters
    # (`core.text.name_check`): those vectors are refused, the rest are packed.
    nameable = [v for v in usable if _nameable(v)]
    for name_field in ("display_name", "record title"):
        scene.refuse(name_field, [v for v in usable if v not in nameable])
    names = packed(nameable, 80)
    titles = packed(nameable, 200)
    themes = packed(nameable, 60)
    usages = packed(nameable, 80)

    for b, batch in enumerate(vectors_in_batches(BATCH)):
        batch = [v for v in batch if v in usable]
        text = joined(batch)
        owner = _member(scene, f"owner{b}", names[b % len(names)])
        _try(scene, "bio", batch, accounts.user_update_profile, user=owner, bio=text)
        for vector in batch:
            _try(
                scene,
                "links",
                [vector],
                accounts.user_update_profile,
                user=owner,
                links=[vector.text],
            )
        remixer = _member(scene, f"remixer{b}", names[(b + 1) % len(names)])
        for vector in batch:
            _try(
                scene,
                "tags",
                [vector],
                records.record_create,
                author=owner,
                kind="text",
                title="Tagged",
                body="x",
                tags=vector.text,
            )
        source_title = titles[b % len(titles)]
        source = records.record_create(
            author=owner,
            kind="text",
            title=spaced(source_title),
            description=text,
            body=text,
            tags="night, sea",
            remix_policy="ask",
        )
        scene.store("record title", source_title)
        scene.store("record description", batch)
        scene.store("record body", batch)
        usage = usages[b % len(usages)]
        remix_title = titles[(b + 1) % len(titles)]
        remix = records.record_create(
            author=remixer,
            kind="text",
            title=spaced(remix_title),
            description="A remix.",
            body="The tide again.",
            sources=[SourceSpec(record_id=source.pk, usage=spaced(usage))],
            message=text,
        )
        scene.store("usage", usage)
        scene.store("remix request message", batch)
        request = RemixRequest.objects.get(remix=remix, source=source)
        lineage.remix_request_decide(actor=owner, request_id=request.pk, approve=True, note=text)
        scene.store("remix request note", batch)
        scene.records += [source, remix]

        production_title = titles[(b + 2) % len(titles)]
        theme = themes[b % len(themes)]
        production = productions.production_create(
            actor=owner,
            kind="anthology",
            title=spaced(production_title),
            theme=spaced(theme),
            brief=text,
        )
        scene.store("production title", production_title)
        scene.store("production theme", theme)
        scene.store("production brief", batch)
        productions.production_status_set(actor=owner, production=production, status="open")
        need_title = titles[(b + 3) % len(titles)]
        need = productions.need_create(
            actor=owner,
            production=production,
            title=spaced(need_title),
            kinds=["text"],
            description=text,
            wanted=3,
        )
        scene.store("need title", need_title)
        scene.store("need description", batch)
        remix.refresh_from_db()
        submission = submissions.submission_create(
            actor=remixer, production=production, record=remix, need=need, message=text
        )
        scene.store("submission message", batch)
        submissions.submission_decide(
            actor=owner, submission=submission, status="selected", note=text
        )
        scene.store("submission note", batch)
        productions.production_status_set(actor=owner, production=production, status="curating")
        segment_title = titles[(b + 4) % len(titles)]
        line_up(
            producer=owner,
            production=production,
            segments=[
                SegmentSpec(
                    submission_id=submission.pk,
                    title=spaced(segment_title),
                    notes=text,
                    duration_ms=2000,
                )
            ],
        )
        scene.store("segment title", segment_title)
        scene.store("segment notes", batch)
        fairness_rules_set(
            actor=owner,
            production=production,
            max_contributor_percent=None,
            max_producers_percent=None,
            min_contributors=None,
            source_share_percent=40,
        )
        # A second production stays in curating, so its board is the live one.
        board = productions.production_create(
            actor=owner, kind="anthology", title=spaced(production_title), brief=text
        )
        productions.production_status_set(actor=owner, production=board, status="open")
        board_need = productions.need_create(
            actor=owner,
            production=board,
            title=spaced(need_title),
            kinds=["text"],
            description=text,
        )
        board_submission = submissions.submission_create(
            actor=remixer, production=board, record=remix, need=board_need, message=text
        )
        submissions.submission_decide(
            actor=owner, submission=board_submission, status="shortlisted", note=text
        )
        productions.production_status_set(actor=owner, production=board, status="curating")
        release_now(producer=owner, production=production)

        _pages_of_batch(
            scene,
            owner=owner,
            remixer=remixer,
            source=source,
            remix=remix,
            request=request,
            production=production,
            board=board,
            need=need,
            submission=submission,
            batch=batch,
            names=(names[b % len(names)], names[(b + 1) % len(names)]),
            titles=(source_title, remix_title, production_title, need_title, segment_title),
            usage=usage,
            theme=theme,
        )
        community_batch(
            scene,
            owner=owner,
            remixer=remixer,
            source=source,
            production=production,
            batch=batch,
            names=(names[b % len(names)], names[(b + 1) % len(names)]),
            source_title=source_title,
        )

    _list_members(scene, names, titles)
    _list_calls(scene, titles, themes)
    community_lists(scene, usable, titles)
    return scene


def _pages_of_batch(
    scene: Scene,
    *,
    owner: User,
    remixer: User,
    source: Record,
    remix: Record,
    request: RemixRequest,
    production: Production,
    board: Production,
    need: Any,
    submission: Any,
    batch: list[Vector],
    names: tuple[list[Vector], list[Vector]],
    titles: tuple[list[Vector], ...],
    usage: list[Vector],
    theme: list[Vector],
) -> None:
    owner_name, remixer_name = names
    source_title, remix_title, production_title, need_title, segment_title = titles
    people = [("display_name", owner_name)]

    def shows(viewer: str, url: str, *fields: tuple[str, list[Vector]]) -> None:
        page = scene.page(viewer, url)
        for name, vectors in fields:
            if name in scene.stored and vectors:
                page.show(name, [v for v in vectors if v.id in scene.stored[name]])

    record_fields = [
        ("record title", source_title),
        ("record description", batch),
        ("record body", batch),
        *people,
    ]
    shows("reader", reverse("records:detail", args=[source.pk]), *record_fields)
    shows("", reverse("records:detail", args=[source.pk]), *record_fields)
    shows(
        "reader",
        reverse("records:detail", args=[remix.pk]),
        ("record title", remix_title + source_title),
        ("usage", usage),
        ("display_name", remixer_name + owner_name),
    )
    for name in ("lineage:tree", "lineage:credits", "lineage:remixes"):
        shows(
            "reader",
            reverse(name, args=[source.pk if name == "lineage:remixes" else remix.pk]),
            ("record title", source_title + remix_title),
            ("usage", usage),
            ("display_name", owner_name + remixer_name),
        )
    shows("reader", reverse("records:history", args=[source.pk]), ("record title", source_title))
    shows(
        "reader",
        reverse("accounts:profile", args=[owner.username])
        if _has_url("accounts:profile")
        else f"/@{owner.username}",
        ("display_name", owner_name),
        ("bio", batch),
        ("links", batch),
        ("record title", source_title),
    )
    for viewer in (owner.username, remixer.username):
        shows(
            viewer,
            reverse("lineage:request", args=[request.pk]),
            ("remix request message", batch),
            ("remix request note", batch),
            ("record title", source_title + remix_title),
            ("usage", usage),
            ("display_name", owner_name + remixer_name),
        )
        shows(
            viewer,
            reverse("lineage:requests"),
            ("remix request message", batch),
            ("record title", source_title + remix_title),
        )
        shows(
            viewer,
            reverse("community:notifications"),
            ("record title", source_title + remix_title),
            ("display_name", owner_name + remixer_name),
        )
    show_fields = [
        ("production title", production_title),
        ("production theme", theme),
        ("production brief", batch),
        ("segment title", segment_title),
        ("record title", remix_title),
        ("display_name", remixer_name + owner_name),
    ]
    for viewer in ("", "reader", owner.username):
        shows(viewer, reverse("productions:detail", args=[production.pk]), *show_fields)
    shows(
        "reader",
        reverse("productions:credits", args=[production.pk]),
        ("production title", production_title),
        ("segment title", segment_title),
        ("record title", remix_title + source_title),
        ("usage", usage),
        ("display_name", remixer_name + owner_name),
    )
    shows(
        "reader",
        reverse("productions:need", args=[need.pk]),
        ("need title", need_title),
        ("need description", batch),
        ("production title", production_title),
    )
    for viewer, url_name in (
        (owner.username, "productions:submissions"),
        (owner.username, "productions:curate"),
        (owner.username, "productions:fairness"),
        (owner.username, "productions:lineup"),
        (owner.username, "productions:history"),
        (owner.username, "productions:producers"),
    ):
        for shown in (production, board):
            shows(
                viewer,
                reverse(url_name, args=[shown.pk]),
                ("production title", production_title),
                ("need title", need_title),
                ("submission message", batch),
                ("submission note", batch),
                ("segment notes", batch if shown is production else []),
                ("segment title", segment_title if shown is production else []),
                ("record title", remix_title),
                ("display_name", remixer_name),
            )
    for viewer in (owner.username, remixer.username):
        shows(
            viewer,
            reverse("productions:submission", args=[submission.pk]),
            ("submission message", batch),
            ("submission note", batch),
            ("production title", production_title),
            ("need title", need_title),
            ("record title", remix_title),
        )
    shows(
        remixer.username,
        reverse("productions:my_submissions"),
        ("production title", production_title),
        ("record title", remix_title),
        ("submission note", batch),
    )
    scene.api_urls += [
        ("reader", f"/api/v1/records/{source.pk}"),
        ("reader", f"/api/v1/records/{remix.pk}/lineage"),
        ("reader", f"/api/v1/records/{remix.pk}/credits"),
        ("reader", f"/api/v1/users/{owner.username}"),
        ("reader", f"/api/v1/productions/{production.pk}/credits"),
        (owner.username, "/api/v1/notifications"),
        (owner.username, "/api/v1/remix-requests"),
    ]


def _has_url(name: str) -> bool:
    try:
        reverse(name, args=["x"])
    except Exception:
        return False
    return True


def _list_members(scene: Scene, names: list[list[Vector]], titles: list[list[Vector]]) -> None:
    """A member per display-name group, each with a record titled by a title group (then
    plain titles), so the browse lists and the home page show every short vector."""
    for index, name in enumerate(names):
        member = _member(scene, f"lister{index}", name)
        title = titles[index] if index < len(titles) else []
        record = records.record_create(
            author=member,
            kind="text",
            title=spaced(title) if title else f"Piece {index}",
            body="Moon over the harbour.",
        )
        scene.store("record title", title)
        scene.records.append(record)
        page = scene.page("reader", f"/@{member.username}")
        page.show("display_name", name)
        page.show("record title", title)


def _list_calls(scene: Scene, titles: list[list[Vector]], themes: list[list[Vector]]) -> None:
    """An open call per production-title group (themed by a theme group), each with a need
    titled by a title group, for the calls and productions lists."""
    producer = accounts.user_create(
        username="caller", email="caller@ex.org", password=PASSWORD, display_name="Caller"
    )
    for index, title in enumerate(titles):
        theme = themes[index % len(themes)]
        production = productions.production_create(
            actor=producer, kind="collection", title=spaced(title), theme=spaced(theme)
        )
        productions.need_create(
            actor=producer, production=production, title=spaced(title), kinds=["text"]
        )
        productions.production_status_set(actor=producer, production=production, status="open")
        scene.store("production title", title)
        scene.store("production theme", theme)
        scene.store("need title", title)
        page = scene.page("reader", reverse("productions:detail", args=[production.pk]))
        page.show("production title", title)
        page.show("production theme", theme)
        page.show("need title", title)


def crawl_lists(scene: Scene, client_for: Callable[[str], Client]) -> None:
    """Add the list pages (home, browse, calls, productions), following their "more" links
    to the end. A list page is credited with the stored short vectors (record titles,
    display names, production titles and themes, need titles) whose text it really shows."""
    from tests.xss.markup import page_text, shown_verbatim

    fields = ("record title", "display_name", "production title", "production theme")
    for start in (
        reverse("community:home"),
        reverse("records:list"),
        reverse("productions:calls"),
        reverse("productions:list"),
        reverse("community:discover"),
        *(reverse("community:discover_list", args=[tab]) for tab in _discover_tabs()),
    ):
        client = client_for("reader")
        for url in _following(client, start):
            text = page_text(client.get(url).content.decode())
            page = scene.page("reader", url)
            for name in fields:
                stored = [v for v in VECTORS if v.id in scene.stored.get(name, set())]
                page.show(name, [v for v in stored if shown_verbatim(v, text)])


# Fields shown through Markdown: their text is not on the page verbatim, so the pages named
# for them in the scene are taken at their word (the record page, the production's pages).
MARKDOWN_FIELDS = {"record body", "production brief", *COMMENT_FIELDS}


def _discover_tabs() -> list[str]:
    from riffhouse.community.views_feeds import TABS

    return [tab.slug for tab in TABS[1:]]


def scene_check(scene: Scene, client_for: Callable[[str], Client]) -> list[str]:
    """Render every page of `scene` with the test client and list what is wrong: a page that
    does not answer 200, markup a vector could run (`unsafe_markup`), and a stored vector of
    a plain-text field that no page shows as text (escaped, not dropped). Each page's
    `shows` is narrowed to the vectors it really shows as text (Markdown fields aside), so
    `scene.combinations` counts what the pages hold."""
    from tests.xss.markup import page_text, shown_verbatim, unsafe_markup

    problems: list[str] = []
    seen: dict[str, set[int]] = {}
    for page in scene.pages:
        response = client_for(page.viewer).get(page.url, **page.headers)  # type: ignore[arg-type]
        if response.status_code != 200:
            problems.append(f"{page.url} answers {response.status_code} to {page.viewer!r}")
            continue
        html = response.content.decode()
        problems += [f"{page.url} ({page.viewer or 'visitor'}): {p}" for p in unsafe_markup(html)]
        text = page_text(html)
        for name, ids in page.shows.items():
            if name in MARKDOWN_FIELDS:
                continue
            ids.intersection_update(i for i in ids if shown_verbatim(VECTORS_BY_ID[i], text))
            seen.setdefault(name, set()).update(ids)
    for name, ids in scene.stored.items():
        if name in MARKDOWN_FIELDS:
            continue
        unseen = sorted(ids - seen.get(name, set()))
        if unseen:
            problems.append(f"no page shows the {name} vectors {unseen} as text")
    return problems


def _following(client: Client, url: str, limit: int = 40) -> Iterable[str]:
    """`url` and the pages its "more"/"next" links lead to (cursor pagination)."""
    from tests.xss.markup import next_links

    seen: list[str] = []
    queue = [url]
    while queue and len(seen) < limit:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.append(current)
        response = client.get(current)
        if response.status_code != 200:
            continue
        for link in next_links(response.content.decode(), base=current):
            if link not in seen:
                queue.append(link)
    return seen
