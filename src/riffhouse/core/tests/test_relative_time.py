from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from riffhouse.core.templatetags.relative_time import ago


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0, "just now"),
        (59, "just now"),
        (-30, "just now"),  # a little in the future: another machine's clock
        (61, "1 minute ago"),
        (5 * 60 + 20, "5 minutes ago"),
        (3 * 3600 + 1800, "3 hours ago"),
        (3 * 86400 + 3600, "3 days ago"),
        (400 * 86400, "1 year ago"),
    ],
)
def test_ago_says_it_as_people_do(seconds: int, said: str) -> None:
    said_here = ago(timezone.now() - timedelta(seconds=seconds))
    # Django holds a number and its unit together with a no-break space.
    assert said_here.replace("\xa0", " ") == said


def test_ago_of_nothing_is_empty() -> None:
    assert ago(None) == ""


def test_every_template_has_ago_without_loading_it() -> None:
    rendered = Template("{{ when|ago }}").render(Context({"when": timezone.now()}))
    assert rendered == "just now"


def test_community_pages_use_the_same_filter() -> None:
    from riffhouse.community.templatetags import community

    assert community.register.filters["ago"] is ago


def test_no_template_says_how_long_ago_another_way() -> None:
    from django.conf import settings

    templates = settings.PACKAGE_DIR / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "timesince" in path.read_text() or "naturaltime" in path.read_text()
    ]
    assert offenders == []


def test_markup_kept_with_its_times_marked_says_them_as_of_when_it_is_shown() -> None:
    from riffhouse.core.templatetags.relative_time import times_filled, times_marked

    template = Template("<time>{{ a|ago }}</time> and <time>{{ b|ago }}</time>")
    now = timezone.now()
    context = {"a": now - timedelta(minutes=5, seconds=3), "b": now - timedelta(days=3, hours=1)}
    with times_marked():
        kept = template.render(Context(context))
    assert "minute" not in kept and "day" not in kept  # marks, not words

    shown = times_filled(kept).replace("\xa0", " ")

    assert shown == "<time>5 minutes ago</time> and <time>3 days ago</time>"
    assert template.render(Context(context)) == times_filled(kept)  # unmarked again after
