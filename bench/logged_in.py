"""Logged-in pages rendered in process (decision 0041): milliseconds per request and queries
of the record page (a remix of two sources), `/records/` (24 cards), home, a profile, the
lineage page and the credits page, for a logged-in member with the fragments kept (each page
is asked 20 times before it is timed); and the 24 cards of `/records/` rendered by the Django
template against a Jinja2 port of it (decision 0041; jinja2 is already in
requirements/dev.txt, through flask for moto; the port lives here only).

The data: three members, 30 records (text, image, audio, video in turn; media processed
inline), an audio remix of an image and a track, and three text remixes of that remix,
made through the services in a SQLite database under RIFFHOUSE_DATA_DIR (made once, kept).
Run with the test settings (tasks inline, local-memory cache):

    RIFFHOUSE_DATA_DIR=/tmp/bench-logged-in .venv/bin/python -m bench.logged_in [--runs 100]
    RIFFHOUSE_DATA_DIR=/tmp/bench-logged-in .venv/bin/python -m bench.logged_in --jinja

An in-process figure, no server and no network: for a page's share of Python time, not for
throughput (`make bench BENCH=pages`).
"""

import argparse
import os
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

PASSWORD = "a-long-and-lovely-passphrase"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riffhouse.test_settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)


def make_data() -> None:
    from riffhouse.accounts import services as accounts
    from riffhouse.accounts.models import User
    from riffhouse.lineage import services as lineage
    from riffhouse.records import services as records
    from riffhouse.records.hooks import SourceSpec
    from riffhouse.records.tests import samples
    from riffhouse.records.tests.conftest import upload

    if User.objects.filter(username="ana").exists():
        return
    ana = accounts.user_create(
        username="ana", email="ana@ex.org", password=PASSWORD, display_name="Ana Lune"
    )
    bo = accounts.user_create(username="bodhi", email="bo@ex.org", password=PASSWORD)
    accounts.user_create(username="viewer", email="v@ex.org", password=PASSWORD)
    files = {"image": samples.png(), "audio": samples.wav(), "video": samples.mp4()}
    made = []
    for i in range(30):
        kind = ["text", "image", "audio", "text", "video", "audio"][i % 6]
        content: dict[str, Any] = (
            {"body": f"Moon over the harbour {i},\nnets full of light."}
            if kind == "text"
            else {"upload": upload(files[kind], f"sample.{kind}")}
        )
        made.append(
            records.record_create(
                author=[ana, bo][i % 2],
                kind=kind,
                title=f"Record {i} {kind}",
                tags="sea, night",
                **content,
            )
        )
    image = next(r for r in made if r.kind == "image")
    track = next(r for r in made if r.kind == "audio")
    remix = lineage.remix_create(
        author=ana,
        sources=[
            SourceSpec(record_id=image.pk, usage="cover"),
            SourceSpec(record_id=track.pk, usage="melody"),
        ],
        kind="audio",
        title="The remix",
        upload=upload(files["audio"], "sample.wav"),
    )
    for i in range(3):
        lineage.remix_create(
            author=bo,
            sources=[SourceSpec(record_id=remix.pk, usage="beat")],
            kind="text",
            title=f"Remix of the remix {i}",
            body="Again.",
        )


def pages() -> dict[str, str]:
    from riffhouse.records.models import Record

    remix = Record.objects.get(title="The remix")
    return {
        "record (remix, 2 sources)": remix.get_absolute_url(),
        "/records/ (24 cards)": "/records/",
        "home": "/",
        "profile": "/@ana",
        "lineage page": f"/records/{remix.pk}/lineage/",
        "credits page": f"/records/{remix.pk}/credits/",
    }


def _counter(queries: list[str]) -> Callable[..., Any]:
    def counted(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    return counted


def measure_pages(runs: int) -> None:
    from django.db import connection
    from django.test import Client

    from riffhouse.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="viewer"))
    print(f"{'page':28} {'ms p50':>7} {'ms mean':>8} {'queries':>8}")
    for name, url in pages().items():
        for _ in range(20):
            assert client.get(url).status_code == 200, url
        queries: list[str] = []
        with connection.execute_wrapper(_counter(queries)):
            client.get(url)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        p50, mean = statistics.median(times), statistics.mean(times)
        print(f"{name:28} {p50:7.2f} {mean:8.2f} {len(queries):8}")


# The Jinja2 port of records/_card.html, the same markup (checked below) -------------------
JINJA_CARD = r"""{% set v = record.live_version %}
<li class="record-card record-card-{{ record.kind }}">
  <a href="{{ record.get_absolute_url() }}" class="record-card-link">
    <div class="record-card-media"{% if v and v.metadata.dominant_color %} style="background-color: {{ v.metadata.dominant_color }}"{% elif record.cover_art and record.cover_art.color %} style="background-color: {{ record.cover_art.color }}"{% endif %}>
      {% if record.kind == "image" %}
        {% for r in v.renditions.all() %}{% if r.label == "w640.webp" %}<img src="{{ url('records:file', record.pk, v.key, r.label) }}" alt="" loading="lazy" width="{{ r.width }}" height="{{ r.height }}">{% endif %}{% endfor %}
      {% elif record.kind == "video" %}
        {% for r in v.renditions.all() %}{% if r.label == "poster.jpg" %}<img src="{{ url('records:file', record.pk, v.key, r.label) }}" alt="" loading="lazy">{% endif %}{% endfor %}
        <span class="record-card-badge">▶ {{ v.metadata.duration|duration }}</span>
      {% elif record.kind == "audio" %}
        {% if record.cover_art %}<img class="record-card-cover" src="{{ record.cover_art.url }}" alt="" loading="lazy"{% if record.cover_art.width %} width="{{ record.cover_art.width }}" height="{{ record.cover_art.height }}"{% endif %} data-cover="{{ record.cover_art.origin }}">
        {% else %}<span class="record-card-icon">{{ icon("48") }}</span>{% endif %}
        <span class="record-card-badge"><span class="visually-hidden">Length </span>{{ v.metadata.duration|duration }}</span>
      {% else %}
        <p class="record-card-excerpt">{{ v.metadata.excerpt }}</p>
      {% endif %}
    </div>
    <div class="record-card-body">
      <span class="record-card-kind">{% if record.kind == "audio" %}{{ icon() }} {% endif %}{{ record.get_kind_display() }}</span>
      <h3 class="record-card-title">{{ record.title }}</h3>
      {% if record.remix_count %}<span class="record-card-remixes" title="Remixes built on it">↻ {{ record.remix_count }} remix{{ record.remix_count|pluralize("es") }}</span>{% endif %}
      <span class="record-card-author">{% if record.author %}{{ record.author.name }}{% else %}a former member{% endif %}</span>
    </div>
  </a>
  {% if record.kind == "audio" and v %}
    <button type="button" class="card-play" hidden data-card-play data-src="{{ url('records:file', record.pk, v.key, 'audio.m4a') }}" data-title="{{ record.title }}" aria-label="Play “{{ record.title }}”" aria-pressed="false">
      <svg class="card-play-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path class="icon-play" d="M8 5.5v13a1 1 0 0 0 1.5.86l10.4-6.5a1 1 0 0 0 0-1.72L9.5 4.64A1 1 0 0 0 8 5.5Z"/><path class="icon-pause" d="M7 5h3.5v14H7zM13.5 5H17v14h-3.5z"/></svg>
    </button>
    <span class="card-progress" aria-hidden="true"><span class="card-progress-bar"></span></span>
  {% endif %}
</li>
"""  # noqa: E501 -- markup, kept line for line with the Django template


def measure_jinja(runs: int) -> None:
    import jinja2
    from django.template.defaultfilters import pluralize
    from django.template.loader import get_template
    from django.urls import reverse
    from markupsafe import Markup

    from riffhouse.records import selectors
    from riffhouse.records.templatetags.records import duration

    icon = get_template("core/_icon_music.html")
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    env.filters["duration"] = duration
    env.filters["pluralize"] = lambda n, suffix="s": pluralize(n, suffix)
    env.globals["url"] = lambda name, *args: reverse(name, args=args)
    env.globals["icon"] = lambda size=None: Markup(  # noqa: S704 -- our template's output
        icon.render({"size": size} if size else {})
    )
    jinja_card = env.from_string(JINJA_CARD)
    django_card = get_template("records/_card.html")
    ids = selectors.record_feed_ids(viewer=None, limit=24).ids  # type: ignore[arg-type]
    records = selectors.records_for_cards(record_ids=ids)

    def words(html: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"\{#.*?#\}", "", html)).strip()

    same = sum(
        words(django_card.render({"record": r})) == words(jinja_card.render(record=r))
        for r in records
    )
    print(f"{same} of {len(records)} cards the same (whitespace aside)")

    def p50(render: Callable[[], object]) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            render()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    for round_ in range(1, 4):
        django_ms = p50(lambda: "".join(django_card.render({"record": r}) for r in records))
        jinja_ms = p50(lambda: "".join(jinja_card.render(record=r) for r in records))
        print(
            f"round {round_}: Django {django_ms:.2f} ms, Jinja2 {jinja_ms:.2f} ms "
            f"for {len(records)} cards ({django_ms / jinja_ms:.1f}x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--jinja", action="store_true", help="the cards: Django vs Jinja2")
    args = parser.parse_args()
    setup()
    make_data()
    if args.jinja:
        measure_jinja(args.runs)
    else:
        measure_pages(args.runs)


if __name__ == "__main__":
    main()
