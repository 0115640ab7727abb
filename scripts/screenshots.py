"""`make screenshots`: every page of a fresh demo instance, at desktop and phone width, light
and dark, with a contact sheet (index.html) for review.

It makes a throwaway data directory with the demo content (`riffhouse demo`), starts the
real web server and a job worker on a free port, waits until the demo's media is processed,
then visits each page with Debian's Chromium (the browser tests' flags), logged out and
logged in as a demo member. Pages go to SCREENSHOTS_DIR (default: screenshots/ in the
repository, git-ignored). A page that answers an error status, or logs a console error,
fails the run: the command names it and exits 1 after taking everything else. Every process
it started is stopped, whatever happens.

    make screenshots                          # all of it (a few minutes)
    SCREENSHOTS_DIR=/tmp/shots make screenshots
    .venv/bin/python scripts/screenshots.py --only home,log-in   # some pages, by name
"""

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from riffhouse.core.testing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    port_open,
    riffhouse,
    running,
    start_web,
    start_worker,
    wait_for,
)

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Variant:
    name: str
    label: str
    width: int
    height: int
    dark: bool


VARIANTS = [
    Variant("desktop", "Desktop 1280", 1280, 900, dark=False),
    Variant("phone", "Phone 390", 390, 844, dark=False),
    Variant("desktop-dark", "Desktop dark", 1280, 900, dark=True),
    Variant("phone-dark", "Phone dark", 390, 844, dark=True),
]


@dataclass(frozen=True)
class Shot:
    name: str  # the file name and what --only picks
    title: str
    path: str
    logged_in: bool = False
    status: int = 200
    member: str = ""  # logged in as this demo member rather than ids["member"]


def pages(ids: dict[str, int | str]) -> list[Shot]:
    record = "/records/{}/".format
    return [
        Shot("home", "Home", "/"),
        Shot("home-member", "Home, logged in", "/", logged_in=True),
        Shot("browse", "Browse", "/records/"),
        Shot("record-writing", "A record: writing", record(ids["text"])),
        Shot("record-art", "A record: art", record(ids["image"])),
        Shot("record-music", "A record: music", record(ids["audio"])),
        Shot("record-film", "A record: film", record(ids["video"])),
        Shot("remix", "A remix", record(ids["remix"])),
        Shot("lineage", "Remix tree", f"/records/{ids['remix']}/lineage/"),
        Shot("credits", "Credits", f"/records/{ids['remix']}/credits/"),
        Shot("history", "Version history", f"/records/{ids['own']}/versions/", logged_in=True),
        Shot("licences", "Licences", "/licences/"),
        Shot("search", "Search", "/search/"),
        Shot("search-results", "Search results", "/search/?q=earth"),
        Shot("upload", "Upload", "/records/new/", logged_in=True),
        Shot("remix-form", "Remix form", f"/records/{ids['remixable']}/remix/", logged_in=True),
        Shot("sources-edit", "Edit sources", f"/records/{ids['remix']}/sources/", logged_in=True),
        Shot("requests", "Remix requests", "/remix-requests/", logged_in=True),
        Shot("notifications", "Notifications", "/notifications/", logged_in=True),
        # Feeds: Discover's lists and a member's feed on a page of its own.
        Shot("discover", "Discover: trending", "/discover/"),
        Shot("discover-latest", "Discover: latest", "/discover/latest/"),
        Shot("discover-collab", "Discover: needs collaborators", "/discover/needs-collaborators/"),
        Shot("feed", "Your feed", "/feed/", logged_in=True),
        Shot("profile", "Profile (a visitor)", f"/@{ids['member']}"),
        Shot("profile-own", "Your own profile", f"/@{ids['member']}", logged_in=True),
        Shot("settings-profile", "Settings: profile", "/settings/profile/", logged_in=True),
        Shot("settings-password", "Settings: password", "/settings/password/", logged_in=True),
        Shot("settings-tokens", "Settings: API tokens", "/settings/tokens/", logged_in=True),
        Shot("settings-delete", "Settings: delete account", "/settings/delete/", logged_in=True),
        Shot(
            "settings-notifications",
            "Settings: notifications",
            "/settings/notifications/",
            logged_in=True,
        ),
        Shot("sign-up", "Sign up", "/accounts/sign-up/"),
        Shot("log-in", "Log in", "/accounts/log-in/"),
        Shot("password-reset", "Password reset", "/accounts/password-reset/"),
        # Productions (H1): pages that stand without the demo's productions.
        Shot("calls", "Open calls", "/calls/"),
        Shot("productions", "Released productions", "/productions/"),
        Shot("production-new", "Start a production", "/productions/new/", logged_in=True),
        # The demo's productions: the released Space episode, the open Fantasy call, and Games
        # being curated (its board and lineup editor seen by its producer).
        Shot("episode", "A released episode", f"/productions/{ids['space']}/"),
        Shot("episode-credits", "Episode credits", f"/productions/{ids['space']}/credits/"),
        Shot("episode-fairness", "Episode fairness", f"/productions/{ids['space']}/fairness/"),
        Shot("call", "An open call", f"/productions/{ids['fantasy']}/"),
        Shot("call-need", "A need", f"/productions/needs/{ids['need']}/", logged_in=True),
        Shot(
            "curate",
            "Curation board",
            f"/productions/{ids['games']}/curate/",
            logged_in=True,
            member=str(ids["games_producer"]),
        ),
        Shot(
            "lineup-editor",
            "Lineup editor",
            f"/productions/{ids['games']}/lineup/",
            logged_in=True,
            member=str(ids["games_producer"]),
        ),
        Shot("confirm-invalid", "A cut confirmation link", "/accounts/confirm/MQ/", status=400),
        Shot("not-found", "Not found (404)", "/no-such-page/", status=404),
        Shot("api-docs", "API docs", "/api/v1/docs"),
    ]


# Which demo records to show, found once the demo exists. The member who logs in has written
# a remix (so "edit sources" is theirs) and, when the demo has one, a remix request waiting
# for their answer; the remix form uses someone else's open work.
FIND_IDS = """
import json
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.records.models import Record
live = Record.objects.filter(deleted_at__isnull=True, published_at__isnull=False)
links = SourceLink.objects.filter(record__in=live).select_related("record__author")
asked = set(RemixRequest.objects.filter(status="pending").values_list("source__author", flat=True))
link = next((l for l in links if l.record.author_id in asked), links.first())
member = link.record.author
ids = {kind: live.filter(kind=kind).order_by("pk").first().pk
       for kind in ("text", "image", "audio", "video")}
ids["remix"] = link.record_id
ids["own"] = link.record_id
ids["remixable"] = live.exclude(author=member).filter(remix_policy="open").first().pk
ids["member"] = member.username
from riffhouse.productions.models import Production
productions = Production.objects.order_by("pk")
ids["space"] = productions.filter(status="released").first().pk
call = productions.filter(status="open").first()
ids["fantasy"] = call.pk
ids["need"] = call.needs.filter(seed__isnull=False).first().pk
curating = productions.filter(status="curating").first()
ids["games"] = curating.pk
ids["games_producer"] = curating.producers.first().user.username
print(json.dumps(ids))
"""

PROCESSING_LEFT = """
from riffhouse.records.models import RecordVersion
print(RecordVersion.objects.filter(status__in=["pending", "processing"]).count())
"""


def log(message: str) -> None:
    print(message, flush=True)


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        riffhouse(*args), env=env, capture_output=True, text=True, timeout=900, check=False
    )
    if done.returncode:
        sys.exit(f"riffhouse {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def python(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]


def demo_password(data_dir: Path, username: str) -> str:
    for line in (data_dir / "demo-logins.txt").read_text().splitlines()[1:]:
        name, password, *_ = line.split()
        if name == username:
            return password
    sys.exit(f"No demo login for {username} in {data_dir / 'demo-logins.txt'}")


@contextmanager
def instance(data_dir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A demo instance served by gunicorn with a job worker, as `riffhouse serve` runs it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"}
    }
    (data_dir / "tmp").mkdir(parents=True, exist_ok=True)
    env.update(
        DJANGO_SETTINGS_MODULE="riffhouse.settings",
        RIFFHOUSE_DATA_DIR=str(data_dir),
        TASKS_BACKEND="db",
        EMAIL_URL=f"file://{data_dir / 'mail'}",
        TMPDIR=str(data_dir / "tmp"),
        PYTHONUNBUFFERED="1",
    )
    log(f"Preparing a demo instance in {data_dir}")
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "demo")
    port = free_port()
    web = start_web(env, port=port, log=data_dir / "web.log")
    worker = start_worker(env, worker_id="screenshots", log=data_dir / "worker.log")
    with running(web, worker):
        wait_for(lambda: port_open(port), timeout=60, message="the web server")
        log("Waiting for the demo's media to be processed…")
        started = time.monotonic()
        wait_for(
            lambda: python(env, PROCESSING_LEFT) == "0",
            timeout=900,
            message="demo processing (see worker.log in the data directory)",
        )
        log(f"  done in {time.monotonic() - started:.0f}s")
        yield f"http://127.0.0.1:{port}", env


def shoot(url: str, env: dict[str, str], data_dir: Path, out: Path, only: set[str]) -> list[str]:
    from playwright.sync_api import sync_playwright

    ids = json.loads(python(env, FIND_IDS))
    shots = [shot for shot in pages(ids) if not only or shot.name in only]

    def who(shot: Shot) -> str:
        return (shot.member or str(ids["member"])) if shot.logged_in else ""

    members = sorted({who(shot) for shot in shots} - {""})
    failures: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        states: dict[str, Path] = {}
        for username in members:
            states[username] = out / f".{username}-state.json"
            context = browser.new_context(base_url=url)
            page = context.new_page()
            page.goto("/accounts/log-in/")
            page.get_by_label("Username or email").fill(username)
            page.get_by_label("Password").fill(demo_password(data_dir, username))
            page.get_by_role("button", name="Log in", exact=True).click()
            page.get_by_role("button", name="Log out").wait_for()
            context.storage_state(path=states[username])
            context.close()
        for variant in VARIANTS:
            log(f"{variant.label}:")
            for username in ["", *members]:
                context = browser.new_context(
                    base_url=url,
                    viewport={"width": variant.width, "height": variant.height},
                    # A phone honours the viewport tag and has touch, as a real one does.
                    is_mobile=variant.width < 600,
                    has_touch=variant.width < 600,
                    color_scheme="dark" if variant.dark else "light",
                    storage_state=states[username] if username else None,
                )
                for shot in shots:
                    if who(shot) == username:
                        problem = take(context, shot, out / f"{shot.name}--{variant.name}.png")
                        if problem:
                            failures.append(f"{shot.name} ({variant.name}): {problem}")
                context.close()
        browser.close()
        for state in states.values():
            state.unlink()
    write_sheet(out, shots, ids)
    return failures


def take(context: object, shot: Shot, path: Path) -> str:
    """Screenshot one page; what went wrong with it, or "" when nothing did."""
    page = context.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and r.request.resource_type != "document"
            and errors.append(f"{r.status} {r.url}")
        ),
    )
    try:
        response = page.goto(shot.path)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(path), full_page=True)
    except Exception as error:  # any failure is reported with the page's name
        page.close()
        return f"could not be shown: {error}"
    status = response.status if response else 0
    page.close()
    log(f"  {shot.name:<20} {status}")
    if status != shot.status:
        return f"answered {status}, expected {shot.status}"
    # A page expected to answer 4xx logs "Failed to load resource" for itself; that is not
    # an error of the page.
    errors = [e for e in errors if not (shot.status >= 400 and "Failed to load resource" in e)]
    return "; ".join(errors)


def write_sheet(out: Path, shots: list[Shot], ids: dict[str, int | str]) -> None:
    rows = []
    for shot in shots:
        cells = "".join(
            f'<figure><a href="{shot.name}--{v.name}.png"><img loading="lazy" '
            f'src="{shot.name}--{v.name}.png" alt="{html.escape(shot.title)}, '
            f'{v.label}"></a><figcaption>{v.label}</figcaption></figure>'
            for v in VARIANTS
            if (out / f"{shot.name}--{v.name}.png").exists()
        )
        who = f" — logged in as @{shot.member or ids['member']}" if shot.logged_in else ""
        rows.append(
            f'<section id="{shot.name}"><h2>{html.escape(shot.title)}'
            f"<small>{html.escape(shot.path)}{who}</small></h2>"
            f'<div class="row">{cells}</div></section>'
        )
    index = "".join(f'<a href="#{s.name}">{html.escape(s.title)}</a>' for s in shots)
    (out / "index.html").write_text(
        f"""<!doctype html><html lang="en"><meta charset="utf-8">
<title>Riffhouse screenshots</title>
<style>
body {{ font: 15px/1.4 system-ui, sans-serif; margin: 1.5rem; background: #f4f1ec; color: #222; }}
nav {{ display: flex; flex-wrap: wrap; gap: .3rem .9rem; margin-bottom: 2rem; }}
h2 {{ font-size: 1.1rem; margin: 2.5rem 0 .6rem; }}
h2 small {{ font-weight: 400; color: #666; margin-left: .7rem; }}
.row {{ display: grid; grid-template-columns: 3fr 1fr 3fr 1fr; gap: 1rem; align-items: start; }}
figure {{ margin: 0; }}
img {{ width: 100%; max-height: 70vh; object-fit: cover; object-position: top;
      border: 1px solid #ccc; background: #fff; }}
figcaption {{ color: #666; font-size: .85rem; }}
</style>
<h1>Riffhouse screenshots</h1>
<p>Taken {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())} from a fresh demo instance.
Click a picture for the full page.</p>
<nav>{index}</nav>
{"".join(rows)}
</html>
""",
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--keep-data", action="store_true", help="keep the demo data dir")
    args = parser.parse_args()
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    out = Path(os.environ.get("SCREENSHOTS_DIR") or REPO / "screenshots").resolve()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is needed: apt-get install chromium ({CHROMIUM})")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    data_dir = Path(tempfile.mkdtemp(prefix="riffhouse-screenshots-"))
    started = time.monotonic()
    try:
        with instance(data_dir) as (url, env):
            failures = shoot(url, env, data_dir, out, only)
    finally:
        if args.keep_data:
            log(f"The demo instance's data is kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    log(f"\nContact sheet: {out / 'index.html'} ({time.monotonic() - started:.0f}s)")
    if failures:
        log(f"\n{len(failures)} page(s) went wrong:")
        for failure in failures:
            log(f"  {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
