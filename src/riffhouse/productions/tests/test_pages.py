"""Production pages: starting and editing a production, its call page, history, producers
and status controls, needs, browsing open calls and released productions, the profile's and
the home page's productions."""

import html
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import strip_tags

from riffhouse.accounts.models import User
from riffhouse.productions import services, views
from riffhouse.productions.models import Need, Producer, Production, ProductionRevision
from riffhouse.productions.tests.scenes import release_now


@pytest.fixture
def make_released(
    make_production: Callable[..., Production], producer: User
) -> Callable[..., Production]:
    """A production released through the real release (the producer's link as its lineup),
    dated `released_at`."""

    def make(*, released_at: Any = None, **fields: Any) -> Production:
        production = make_production(status="curating", **fields)
        return release_now(producer=producer, production=production, released_at=released_at)

    return make


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(response.content.decode())))


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def in_days(days: float) -> Any:
    return timezone.now() + timedelta(days=days)


def local(moment: Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


# Start, edit, history ------------------------------------------------------------------------
def test_starting_a_production_makes_a_draft_run_by_its_starter(
    client: Client, contributor: User, django_assert_max_num_queries: Any
) -> None:
    assert client.get("/productions/new/").status_code == 302  # log in first
    logged_in(client, contributor)
    with django_assert_max_num_queries(4):
        assert client.get("/productions/new/").status_code == 200
    deadline = in_days(20)
    response = client.post(
        "/productions/new/",
        {
            "kind": "anthology",
            "title": "Tales of the Deep",
            "theme": "Sea",
            "brief": "Stories from *under* the waves.",
            "submission_deadline": local(deadline),
        },
    )
    production = Production.objects.get(title="Tales of the Deep")
    assert response.status_code == 302 and response["Location"] == f"/productions/{production.pk}/"
    assert production.status == "draft" and production.kind == "anthology"
    assert production.submission_deadline.strftime("%Y-%m-%d %H:%M") == deadline.strftime(
        "%Y-%m-%d %H:%M"
    )
    assert list(production.producers.values_list("user__username", flat=True)) == ["cleo"]
    page = client.get(response["Location"])
    assert "<em>under</em>" in page.content.decode()
    assert "Draft" in text(page) and "Producer tools" in text(page)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "podcast"}, "kind", "Select a valid choice"),
        ({"title": ""}, "title", "This field is required"),
        ({"submission_deadline": local(timezone.now() - timedelta(days=1))}, None, "future"),
        ({"theme": "x" * 61}, "theme", "at most 60 characters"),
    ],
)
def test_starting_a_production_with_bad_input_shows_why_and_saves_nothing(
    client: Client, contributor: User, fields: dict[str, str], field: str | None, message: str
) -> None:
    logged_in(client, contributor)
    data = {"kind": "episode", "title": "Space", "theme": "Space", "brief": "Go.", **fields}
    response = client.post("/productions/new/", data)
    assert response.status_code == 400
    assert message in text(response)
    if field:
        assert response.context["form"].errors[field]
    assert not Production.objects.exists()


def test_a_draft_is_its_producers_only(
    client: Client, make_production: Callable[..., Production], contributor: User
) -> None:
    draft = make_production()
    for path in ("", "history/", "edit/", "producers/"):
        assert client.get(f"/productions/{draft.pk}/{path}").status_code in {302, 404}
    logged_in(client, contributor)
    for path in ("", "history/", "edit/", "producers/", "needs/new/"):
        assert client.get(f"/productions/{draft.pk}/{path}").status_code == 404, path


def test_editing_keeps_a_history_of_who_changed_what(
    client: Client,
    production: Production,
    producer: User,
    contributor: User,
    django_assert_max_num_queries: Any,
) -> None:
    logged_in(client, producer)
    page = client.get(f"/productions/{production.pk}/edit/")
    assert page.context["form"].initial["title"] == "Space"
    response = client.post(
        f"/productions/{production.pk}/edit/",
        {"kind": "episode", "title": "Space, the episode", "theme": "Space", "brief": "New brief"},
    )
    assert response.status_code == 302
    production.refresh_from_db()
    assert (
        production.title == "Space, the episode"
        and production.brief_html.strip() == "<p>New brief</p>"
    )
    latest = ProductionRevision.objects.filter(production=production).latest("pk")
    assert latest.editor == producer and sorted(latest.changed) == ["brief", "title"]

    client.logout()
    with django_assert_max_num_queries(4):
        history = client.get(f"/productions/{production.pk}/history/")
    assert history.status_code == 200
    page_text = text(history)
    assert "Paz Ortega changed the title and the brief" in page_text
    assert "Paz Ortega started it" in page_text
    # Someone who does not produce it cannot edit it.
    logged_in(client, contributor)
    assert client.get(f"/productions/{production.pk}/edit/").status_code == 403
    assert client.post(f"/productions/{production.pk}/edit/", {"title": "Mine"}).status_code == 403
    production.refresh_from_db()
    assert production.title == "Space, the episode"


def test_editing_with_a_past_deadline_is_refused(
    client: Client, production: Production, producer: User
) -> None:
    logged_in(client, producer)
    response = client.post(
        f"/productions/{production.pk}/edit/",
        {
            "kind": "episode",
            "title": "Renamed",
            "theme": "Space",
            "brief": "b",
            "submission_deadline": local(timezone.now() - timedelta(hours=2)),
        },
    )
    assert response.status_code == 400
    assert "The deadline has to be in the future." in text(response)
    production.refresh_from_db()
    assert production.title == "Space"  # nothing half-saved


# The call page -------------------------------------------------------------------------------
def test_the_call_page_shows_the_brief_needs_and_deadline(
    client: Client,
    make_production: Callable[..., Production],
    producer: User,
    django_assert_max_num_queries: Any,
) -> None:
    production = make_production(
        status="open",
        brief="Songs about <script>alert(1)</script>**leaving Earth**.",
        submission_deadline=in_days(2),
    )
    for index in range(3):
        services.need_create(
            actor=producer,
            production=production,
            title=f"Need {index}",
            kinds=["audio", "image"],
            wanted=index + 1,
        )
    with django_assert_max_num_queries(5):
        response = client.get(f"/productions/{production.pk}/")
    body = response.content.decode()
    page = text(response)
    assert response.status_code == 200
    assert "<strong>leaving Earth</strong>" in body and "<script>alert" not in body
    assert "Open for submissions" in page and "Closing soon" in page
    assert "Produced by Paz Ortega" in page
    needs = list(production.needs.all())
    for need in needs:
        assert f'href="/productions/needs/{need.pk}/"' in body
    assert page.count("Answer this call") == 3
    assert "Music & audio" in page and "3 wanted" in page
    # Visitors get no producer tools.
    assert "Producer tools" not in page and "/curate/" not in body


def test_producers_see_their_tools_linked_by_path(
    client: Client, production: Production, producer: User, django_assert_max_num_queries: Any
) -> None:
    logged_in(client, producer)
    with django_assert_max_num_queries(8):
        response = client.get(f"/productions/{production.pk}/")
    body = response.content.decode()
    for path in ("edit/", "needs/new/", "producers/", "curate/", "lineup/", "fairness/"):
        assert f'href="/productions/{production.pk}/{path}"' in body
    assert "Close submissions and curate" in text(response)


def test_a_deadline_further_than_three_days_is_not_closing_soon(
    client: Client, make_production: Callable[..., Production]
) -> None:
    production = make_production(status="open", submission_deadline=in_days(5))
    assert "Closing soon" not in text(client.get(f"/productions/{production.pk}/"))


# Status --------------------------------------------------------------------------------------
def test_status_moves_are_buttons_with_feedback(
    client: Client, make_production: Callable[..., Production], producer: User
) -> None:
    draft = make_production()
    logged_in(client, producer)
    page = text(client.get(f"/productions/{draft.pk}/"))
    assert "Open for submissions" in page
    response = client.post(f"/productions/{draft.pk}/status/", {"status": "open"}, follow=True)
    assert "It is open: members can answer its needs." in text(response)
    draft.refresh_from_db()
    assert draft.status == "open"
    client.post(f"/productions/{draft.pk}/status/", {"status": "curating"})
    draft.refresh_from_db()
    assert draft.status == "curating"
    assert "Reopen for submissions" in text(client.get(f"/productions/{draft.pk}/"))


def test_every_status_move_has_a_button_and_every_button_a_move() -> None:
    """The producers' tools offer exactly the moves the service takes: a button the service
    refuses, or a move no button offers, is a drift between the two tables."""
    buttons = {
        status: {target for target, _label, _warning in moves}
        for status, moves in views.STATUS_MOVE_BUTTONS.items()
    }
    allowed = {status: set(targets) for status, targets in services.STATUS_MOVES.items()}
    assert buttons == allowed


def test_a_status_move_from_the_fairness_page_comes_back_to_it(
    client: Client, make_production: Callable[..., Production], producer: User
) -> None:
    production = make_production(status="open")
    logged_in(client, producer)
    fairness = f"/productions/{production.pk}/fairness/"
    page = client.get(fairness).content.decode()
    assert f'name="next" value="{fairness}"' in page
    response = client.post(
        f"/productions/{production.pk}/status/", {"status": "curating", "next": fairness}
    )
    assert response.status_code == 302
    assert response["Location"] == fairness
    production.refresh_from_db()
    assert production.status == "curating"
    # Anywhere but one of the production's own pages, the move lands on the production.
    for elsewhere in ("https://evil.example/", "//evil.example/x", "/records/"):
        response = client.post(
            f"/productions/{production.pk}/status/", {"status": "open", "next": elsewhere}
        )
        assert response["Location"] == f"/productions/{production.pk}/"
        client.post(f"/productions/{production.pk}/status/", {"status": "curating"})


def test_a_refused_status_move_says_why_and_changes_nothing(
    client: Client, make_production: Callable[..., Production], producer: User, contributor: User
) -> None:
    bare = make_production(brief="")
    logged_in(client, producer)
    response = client.post(f"/productions/{bare.pk}/status/", {"status": "open"})
    assert response.status_code == 409
    assert "Write a brief or add a need first" in text(response)
    response = client.post(f"/productions/{bare.pk}/status/", {"status": "released"})
    assert response.status_code == 409
    assert "Release it from its lineup" in text(response)
    response = client.post(f"/productions/{bare.pk}/status/", {"status": "nonsense"})
    assert response.status_code == 409
    bare.refresh_from_db()
    assert bare.status == "draft"
    open_one = make_production(status="open")
    logged_in(client, contributor)
    assert (
        client.post(f"/productions/{open_one.pk}/status/", {"status": "draft"}).status_code == 403
    )
    open_one.refresh_from_db()
    assert open_one.status == "open"


def test_a_released_productions_producers_archive_it_from_its_page(
    client: Client, make_released: Callable[..., Production], producer: User, contributor: User
) -> None:
    released = make_released()
    assert "Producer tools" not in text(client.get(f"/productions/{released.pk}/"))
    logged_in(client, contributor)
    assert "Producer tools" not in text(client.get(f"/productions/{released.pk}/"))
    logged_in(client, producer)
    page = text(client.get(f"/productions/{released.pk}/"))
    assert "Producer tools" in page and "Archive…" in page
    assert "Curate" not in page and "Add a need" not in page  # released: nothing to curate
    refused = client.post(f"/productions/{released.pk}/status/", {"status": "open"})
    assert refused.status_code == 409
    assert "cannot become open for submissions" in text(refused)
    assert "The lineup" in text(refused)  # still the released page, with the reason
    response = client.post(
        f"/productions/{released.pk}/status/", {"status": "archived"}, follow=True
    )
    assert "It is archived." in text(response)
    released.refresh_from_db()
    assert released.status == "archived"
    page = text(client.get(f"/productions/{released.pk}/"))
    assert "Bring it back from the archive" in page


# Producers -----------------------------------------------------------------------------------
def test_producers_add_a_co_producer_and_remove_them(
    client: Client,
    production: Production,
    producer: User,
    contributor: User,
    django_assert_max_num_queries: Any,
) -> None:
    logged_in(client, producer)
    with django_assert_max_num_queries(6):
        assert client.get(f"/productions/{production.pk}/producers/").status_code == 200
    response = client.post(
        f"/productions/{production.pk}/producers/", {"username": "@cleo"}, follow=True
    )
    assert "Cleo Marsh now produces “Space” with you." in text(response)
    assert Producer.objects.filter(production=production, user=contributor).exists()
    # Twice is refused, so is nobody.
    again = client.post(f"/productions/{production.pk}/producers/", {"username": "cleo"})
    assert again.status_code == 409 and "cleo already produces it." in text(again)
    nobody = client.post(f"/productions/{production.pk}/producers/", {"username": "ghost"})
    assert nobody.status_code == 400 and "No member by that name." in text(nobody)
    # Removing a co-producer.
    response = client.post(f"/productions/{production.pk}/producers/cleo/remove/", follow=True)
    assert "Cleo Marsh no longer produces “Space”." in text(response)
    assert list(production.producers.values_list("user__username", flat=True)) == ["paz"]


def test_the_last_producer_cannot_step_down(
    client: Client, production: Production, producer: User
) -> None:
    logged_in(client, producer)
    page = text(client.get(f"/productions/{production.pk}/producers/"))
    assert "The only producer" in page and "Step down" not in page
    response = client.post(f"/productions/{production.pk}/producers/paz/remove/")
    assert response.status_code == 409
    assert "A production needs at least one producer" in text(response)
    assert production.producers.count() == 1


def test_a_producer_steps_down_when_another_remains(
    client: Client, production: Production, producer: User, contributor: User
) -> None:
    services.producer_add(actor=producer, production=production, user=contributor)
    logged_in(client, contributor)
    assert "Step down" in text(client.get(f"/productions/{production.pk}/producers/"))
    response = client.post(f"/productions/{production.pk}/producers/cleo/remove/")
    assert response.status_code == 302 and response["Location"] == f"/productions/{production.pk}/"
    assert list(production.producers.values_list("user__username", flat=True)) == ["paz"]
    # Only producers manage producers.
    assert client.post(f"/productions/{production.pk}/producers/paz/remove/").status_code == 403
    assert (
        client.post(f"/productions/{production.pk}/producers/", {"username": "cleo"}).status_code
        == 403
    )


# Needs ---------------------------------------------------------------------------------------
def test_adding_a_need_with_kinds_and_a_seed(
    client: Client,
    production: Production,
    producer: User,
    make_record: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    seed = make_record("text", author=producer, title="Leaving Earth, a poem")
    logged_in(client, producer)
    with django_assert_max_num_queries(6):
        form = client.get(f"/productions/{production.pk}/needs/new/")
    assert 'type="checkbox" name="kinds" value="audio"' in form.content.decode()
    response = client.post(
        f"/productions/{production.pk}/needs/new/",
        {
            "title": "A song about leaving Earth",
            "description": "Melancholy, hopeful.",
            "kinds": ["audio", "video"],
            "wanted": "2",
            "deadline": local(in_days(10)),
            "seed": f"https://riffhouse.example/records/{seed.pk}/",
        },
    )
    assert response.status_code == 302
    need = Need.objects.get(production=production)
    assert need.kinds == "audio,video" and need.wanted == 2
    assert need.seed == seed and need.seed_version_id == seed.live_version_id


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kinds": []}, "Choose at least one kind of work."),
        ({"kinds": ["sculpture"]}, "Select a valid choice"),
        ({"wanted": "0"}, "greater than or equal to 1"),
        ({"wanted": "501"}, "less than or equal to 500"),
        ({"deadline": "2001-01-01T10:00"}, "The deadline has to be in the future."),
        ({"seed": "not a record"}, "Give the record's number or its address."),
        ({"seed": "999999"}, "No record here"),
    ],
)
def test_a_need_with_bad_input_shows_why_and_saves_nothing(
    client: Client,
    production: Production,
    producer: User,
    fields: dict[str, Any],
    message: str,
) -> None:
    logged_in(client, producer)
    data = {"title": "Art", "kinds": ["image"], "wanted": "1", **fields}
    response = client.post(f"/productions/{production.pk}/needs/new/", data)
    assert response.status_code == 400
    assert message in text(response), text(response)
    assert not Need.objects.exists()


def test_a_draft_record_cannot_seed_a_need(
    client: Client, production: Production, producer: User, make_record: Callable[..., Any]
) -> None:
    draft = make_record("text", author=producer, title="Unfinished", visibility="draft")
    logged_in(client, producer)
    response = client.post(
        f"/productions/{production.pk}/needs/new/",
        {"title": "Art", "kinds": ["image"], "wanted": "1", "seed": str(draft.pk)},
    )
    assert response.status_code == 400
    assert "A seed must be a published record everyone can see." in text(response)
    assert not Need.objects.exists()


def test_the_need_page_shows_the_seed_and_the_way_to_answer(
    client: Client,
    production: Production,
    producer: User,
    make_record: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    seed = make_record("text", author=producer, title="Leaving Earth, a poem")
    need = services.need_create(
        actor=producer,
        production=production,
        title="Illustrations for this poem",
        kinds=["image"],
        wanted=3,
        seed=seed,
        deadline=in_days(1),
    )
    with django_assert_max_num_queries(8):
        response = client.get(f"/productions/needs/{need.pk}/")
    page = text(response)
    assert response.status_code == 200
    assert "Illustrations for this poem" in page and "3 pieces" in page and "Art" in page
    assert "Closing soon" in page
    assert "Leaving Earth, a poem" in page and f'href="/records/{seed.pk}/"' in (
        response.content.decode()
    )
    assert "Answer this call" in page and "Log in to answer" in page


def test_editing_and_deleting_a_need(
    client: Client, need: Need, producer: User, contributor: User
) -> None:
    logged_in(client, contributor)
    assert client.get(f"/productions/needs/{need.pk}/edit/").status_code == 403
    assert client.post(f"/productions/needs/{need.pk}/delete/").status_code == 403
    logged_in(client, producer)
    form = client.get(f"/productions/needs/{need.pk}/edit/")
    assert form.context["form"].initial["kinds"] == ["audio"]
    response = client.post(
        f"/productions/needs/{need.pk}/edit/",
        {"title": "Two songs about leaving Earth", "kinds": ["audio"], "wanted": "4"},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "Two songs about leaving Earth" and need.wanted == 4
    assert "Delete “Two songs" in text(client.get(f"/productions/needs/{need.pk}/delete/"))
    response = client.post(f"/productions/needs/{need.pk}/delete/")
    assert response.status_code == 302
    assert not Need.objects.filter(pk=need.pk).exists()


def test_the_seed_preview_names_the_record(
    client: Client, producer: User, make_record: Callable[..., Any]
) -> None:
    seed = make_record("text", author=producer, title="Leaving Earth, a poem")
    logged_in(client, producer)
    shown = client.get(f"/productions/seed-preview/?seed=/records/{seed.pk}/")
    assert "“Leaving Earth, a poem”" in text(shown)
    missing = client.get("/productions/seed-preview/?seed=424242")
    assert "No record you can see by that number." in text(missing)


# Browse --------------------------------------------------------------------------------------
def test_open_calls_closing_soonest_first(
    client: Client,
    make_production: Callable[..., Production],
    producer: User,
    django_assert_max_num_queries: Any,
) -> None:
    later = make_production(status="open", title="Later", submission_deadline=in_days(30))
    soon = make_production(status="open", title="Soon", submission_deadline=in_days(1))
    whenever = make_production(status="open", title="Whenever")
    make_production(title="Secret draft")
    services.need_create(actor=producer, production=soon, title="Art", kinds=["image"])
    services.need_create(actor=producer, production=soon, title="Song", kinds=["audio"])
    with django_assert_max_num_queries(3):
        response = client.get("/calls/")
    items = response.context["page"].items
    assert [p.title for p in items] == ["Soon", "Later", "Whenever"]
    page = text(response)
    assert "Secret draft" not in page
    card = re.search(r"Closing soon.*?</li>", response.content.decode(), re.S).group(0)
    assert "Soon" in card and "2 needs" in card
    assert {later.pk, whenever.pk} <= {p.pk for p in items}


def test_open_calls_page_by_cursor(
    client: Client, make_production: Callable[..., Production], django_assert_max_num_queries: Any
) -> None:
    for day in range(30):
        make_production(status="open", title=f"Call {day}", submission_deadline=in_days(day + 1))
    first = client.get("/calls/")
    assert len(first.context["page"].items) == 24
    more = first.context["more_url"]
    with django_assert_max_num_queries(3):
        second = client.get("/calls/" + more, headers={"HX-Request": "true"})
    titles = [p.title for p in second.context["page"].items]
    assert titles == [f"Call {day}" for day in range(24, 30)]
    assert "<html" not in second.content.decode()  # only the cards
    assert client.get("/calls/?cursor=nonsense").status_code == 400


def test_released_productions_by_kind_and_theme(
    client: Client, make_released: Callable[..., Production], django_assert_max_num_queries: Any
) -> None:
    now = timezone.now()
    make_released(title="Space", theme="Space", released_at=now - timedelta(days=3))
    make_released(title="Fantasy", theme="Fantasy", kind="album", released_at=now - timedelta(2))
    make_released(title="Space again", theme="Space", released_at=now - timedelta(days=1))
    with django_assert_max_num_queries(4):
        response = client.get("/productions/")
    assert [p.title for p in response.context["page"].items] == ["Space again", "Fantasy", "Space"]
    body = response.content.decode()
    assert 'href="?theme=Space"' in body and 'href="?theme=Fantasy"' in body  # theme chips
    themed = client.get("/productions/?theme=space")
    assert [p.title for p in themed.context["page"].items] == ["Space again", "Space"]
    albums = client.get("/productions/?kind=album")
    assert [p.title for p in albums.context["page"].items] == ["Fantasy"]
    assert client.get("/productions/?kind=podcast").status_code == 400


def test_released_productions_page_by_cursor(
    client: Client, make_released: Callable[..., Production]
) -> None:
    now = timezone.now()
    for hour in range(26):
        make_released(title=f"Episode {hour}", released_at=now - timedelta(hours=hour))
    first = client.get("/productions/")
    second = client.get("/productions/" + first.context["more_url"])
    titles = [p.title for p in first.context["page"].items + second.context["page"].items]
    assert titles == [f"Episode {hour}" for hour in range(26)]


def test_a_members_productions_on_their_profile(
    client: Client,
    make_production: Callable[..., Production],
    producer: User,
    contributor: User,
    django_assert_max_num_queries: Any,
) -> None:
    make_production(status="open", title="Open one")
    make_production(title="Paz's draft")
    make_production(actor=contributor, status="open", title="Cleo's")
    profile = client.get("/@paz").content.decode()
    assert 'hx-get="/productions/?producer=paz"' in profile
    with django_assert_max_num_queries(4):
        fragment = client.get("/productions/?producer=paz", headers={"HX-Request": "true"})
    assert "Open one" in text(fragment)
    assert "Paz's draft" not in text(fragment) and "Cleo's" not in text(fragment)
    logged_in(client, producer)
    mine = client.get("/productions/?producer=paz", headers={"HX-Request": "true"})
    assert "Paz's draft" in text(mine)
    assert client.get("/productions/?producer=ghost").status_code == 404


def test_home_features_the_latest_episode_and_open_calls(
    client: Client,
    make_production: Callable[..., Production],
    make_released: Callable[..., Production],
) -> None:
    now = timezone.now()
    make_released(title="Space", theme="Space", released_at=now - timedelta(days=9))
    latest = make_released(title="Money", theme="Money", released_at=now - timedelta(days=1))
    make_released(title="An album", kind="album", released_at=now)
    make_production(
        status="open", title="Fantasy call", theme="Fantasy", submission_deadline=in_days(2)
    )
    response = client.get("/")
    body = response.content.decode()
    section = re.search(r'<section class="home-productions".*?</section>', body, re.S).group(0)
    assert f'href="/productions/{latest.pk}/"' in section and "Money" in section
    assert "Space" not in section and "An album" not in section
    assert "Fantasy call" in section and "Closing soon" in section


@pytest.mark.django_db
def test_the_main_nav_leads_to_productions(client: Client) -> None:
    body = client.get("/").content.decode()
    link = r'<a href="/calls/" class="nav-icon">.*?<span>Productions</span></a>'
    assert re.search(link, body)


def test_editing_something_else_keeps_a_deadline_that_passed(
    client: Client, production: Production, need: Need, producer: User
) -> None:
    passed = timezone.now() - timedelta(days=1, seconds=17)
    Production.objects.filter(pk=production.pk).update(submission_deadline=passed)
    Need.objects.filter(pk=need.pk).update(deadline=passed)
    logged_in(client, producer)
    form = client.get(f"/productions/{production.pk}/edit/").context["form"]
    data = {name: form[name].value() or "" for name in ("kind", "title", "theme", "brief")}
    data["submission_deadline"] = local(passed)
    response = client.post(f"/productions/{production.pk}/edit/", {**data, "title": "Renamed"})
    assert response.status_code == 302
    production.refresh_from_db()
    assert production.title == "Renamed" and production.submission_deadline == passed
    response = client.post(
        f"/productions/needs/{need.pk}/edit/",
        {"title": "Renamed need", "kinds": ["audio"], "wanted": "2", "deadline": local(passed)},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "Renamed need" and need.deadline == passed
