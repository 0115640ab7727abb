"""Browser tests: Debian's Chromium, driven by Playwright, against the real web server
(gunicorn) and a real job worker, both running on the test database."""

import email
import email.policy
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from riffhouse.core.testing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    port_open,
    process_env,
    riffhouse,
    running,
    start_web,
    start_worker,
    wait_for,
)
from tests.browser.pages import watched_page

# Playwright's sync API keeps an event loop in the test thread; the tests' own database
# calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class LiveSite:
    def __init__(self, url: str, data_dir: Path) -> None:
        self.url = url
        self.data_dir = data_dir

    def emails(self) -> list[str]:
        """Every email the site has sent so far, decoded: headers then body."""
        folder = self.data_dir / "mail"
        if not folder.exists():
            return []
        found = []
        for path in sorted(folder.iterdir()):
            # The file backend separates messages with a line of 79 dashes.
            for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
                if raw.strip():
                    message = email.message_from_string(raw, policy=email.policy.default)
                    found.append(f"To: {message['To']}\n\n{message.get_content()}")
        return found


@pytest.fixture(scope="session")
def live_site(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[LiveSite]:
    data_dir = tmp_path_factory.mktemp("site")
    with django_db_blocker.unblock():
        env = process_env(data_dir)
    # As `riffhouse serve` does: the server serves hashed, compressed static files.
    subprocess.run(
        riffhouse("collectstatic", "--noinput", "--verbosity", "0"),
        env=env,
        check=True,
        timeout=300,
    )
    port = free_port()
    web = start_web(env, port=port, log=data_dir / "web.log")
    worker = start_worker(env, worker_id="browser-tests", log=data_dir / "worker.log")
    with running(web, worker):
        wait_for(lambda: port_open(port), timeout=60, message="the web server")
        yield LiveSite(f"http://127.0.0.1:{port}", data_dir)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.fail(f"Chromium is needed for browser tests: apt-get install chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_site: LiveSite, live_site_media) -> Iterator[object]:
    context = browser.new_context(base_url=live_site.url, viewport={"width": 1280, "height": 900})
    page = watched_page(context)
    yield page
    context.close()


@pytest.fixture
def live_site_media(settings, live_site: LiveSite) -> None:
    # The test process and the server share one media folder.
    settings.MEDIA_ROOT = live_site.data_dir / "media"
