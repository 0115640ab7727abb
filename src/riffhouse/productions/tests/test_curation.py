"""The submission pages: answering a need (choose, upload, remix the seed), the curation
board (grouping, counts, filters, paging, one-action moves with and without htmx, bounded
queries), a submission's page, a member's submissions and a production's."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from riffhouse.accounts.models import User
from riffhouse.community.models import Notification
from riffhouse.core.errors import ApplicationError
from riffhouse.productions import services, submissions
from riffhouse.productions.lineup import SegmentSpec
from riffhouse.productions.models import Need, PendingSubmission, Production, Submission
from riffhouse.productions.tests.scenes import line_up, release_now
from riffhouse.records.models import Record


def released(production: Production) -> None:
    """Released by its producer through the real release (their link as the lineup)."""
    producer = production.producers.select_related("user").get().user
    release_now(producer=producer, production=production)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def poems(production: Production, producer: User) -> Need:
    return services.need_create(
        actor=producer, production=production, title="Poems about the launch", kinds=["text"]
    )


@pytest.fixture
def many(
    production: Production,
    poems: Need,
    make_user: Callable[..., User],
    make_record: Callable[..., Record],
) -> Callable[[int], list[Submission]]:
    """`n` members each submit a poem to `poems`."""

    def make(n: int) -> list[Submission]:
        made = []
        for i in range(n):
            member = make_user(f"poet{i}-{Submission.objects.count()}")
            record = make_record("text", author=member, title=f"Poem {i}")
            made.append(
                submissions.submission_create(
                    actor=member, production=production, record=record, need=poems
                )
            )
        return made

    return make


def board_url(production: Production, **query: str) -> str:
    url = reverse("productions:curate", args=[production.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# The board -------------------------------------------------------------------------------------
def test_only_producers_open_the_board(
    production: Production, producer: User, contributor: User
) -> None:
    url = board_url(production)
    assert Client().get(url).status_code == 302  # to log in
    assert logged_in(contributor).get(url).status_code == 403
    assert logged_in(producer).get(url).status_code == 200


def test_the_board_groups_by_need_and_status_with_counts(
    production: Production, poems: Need, producer: User, many: Callable[[int], list[Submission]]
) -> None:
    _first, second, third = many(3)
    submissions.submission_decide(actor=producer, submission=second, status="shortlisted")
    submissions.submission_decide(actor=producer, submission=third, status="declined", note="No")
    html = logged_in(producer).get(board_url(production, need=str(poems.pk))).content.decode()
    for status in ("submitted", "shortlisted", "selected", "declined"):
        assert f'id="column-{status}"' in html
    assert '<span id="count-submitted" class="board-count">1</span>' in html
    assert '<span id="count-shortlisted" class="board-count">1</span>' in html
    assert f'<span id="need-total-{poems.pk}" class="board-tab-count">3</span>' in html
    submitted_column = html.split('id="column-submitted"')[1].split('id="column-shortlisted"')[0]
    assert "Poem 0" in submitted_column and "Poem 1" not in submitted_column
    assert "No" in html.split('id="column-declined"')[1]


def test_the_board_filters_by_status_and_kind(
    production: Production, poems: Need, producer: User, many: Callable[[int], list[Submission]]
) -> None:
    many(2)
    client = logged_in(producer)
    html = client.get(board_url(production, need=str(poems.pk), status="shortlisted")).content
    assert b'id="column-submitted"' not in html and b'id="column-shortlisted"' in html
    html = client.get(board_url(production, need=str(poems.pk), kind="image")).content
    assert b"Poem 0" not in html
    html = client.get(board_url(production, need=str(poems.pk), kind="text")).content
    assert b"Poem 0" in html
    assert client.get(board_url(production, status="nope")).status_code == 400


def test_the_board_pages_each_column_and_its_queries_are_bounded(
    production: Production,
    poems: Need,
    producer: User,
    many: Callable[[int], list[Submission]],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    many(3)
    client = logged_in(producer)
    url = board_url(production, need=str(poems.pk))
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        client.get(url)
    many(submissions.PER_COLUMN + 5 - 3)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        response = client.get(url)
    page = response.context["board"].columns[0].page
    assert len(page.items) == submissions.PER_COLUMN and page.next_cursor
    rest = client.get(url + f"&after_submitted={page.next_cursor}")
    assert len(rest.context["board"].columns[0].page.items) == 5
    seen = {s.pk for s in page.items} | {s.pk for s in rest.context["board"].columns[0].page.items}
    assert len(seen) == submissions.PER_COLUMN + 5
    # htmx asks for one column's next page only
    fragment = client.get(
        url + f"&column=submitted&after_submitted={page.next_cursor}",
        headers={"HX-Request": "true"},
    )
    assert b"<html" not in fragment.content and fragment.content.count(b'class="sub-card ') == 5


def test_a_move_without_javascript_posts_and_returns_to_the_board(
    production: Production,
    poems: Need,
    producer: User,
    contributor: User,
    many: Callable[[int], list[Submission]],
) -> None:
    [submission] = many(1)
    back = board_url(production, need=str(poems.pk))
    response = logged_in(producer).post(
        reverse("productions:decide", args=[submission.pk]),
        {"status": "shortlisted", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    submission.refresh_from_db()
    assert submission.status == "shortlisted"


def test_a_move_with_htmx_returns_the_card_and_the_counts(
    production: Production, poems: Need, producer: User, many: Callable[[int], list[Submission]]
) -> None:
    submission, _ = many(2)
    response = logged_in(producer).post(
        reverse("productions:decide", args=[submission.pk]),
        {"status": "declined", "note": "Not for this one"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="submission-{submission.pk}"' in html
    assert "Not for this one" in html and "sub-pill-declined" in html
    assert 'id="count-declined" class="board-count" hx-swap-oob="true">1<' in html
    assert 'id="count-submitted" class="board-count" hx-swap-oob="true">1<' in html
    # the card's one action from declined: back to submitted, a real button
    assert '<button type="submit" name="status" value="submitted"' in html
    submission.refresh_from_db()
    assert (submission.status, submission.note) == ("declined", "Not for this one")


def test_a_refused_move_with_htmx_says_why_in_the_card(
    production: Production, poems: Need, producer: User, many: Callable[[int], list[Submission]]
) -> None:
    [submission] = many(1)
    submissions.submission_decide(actor=producer, submission=submission, status="selected")
    response = logged_in(producer).post(
        reverse("productions:decide", args=[submission.pk]),
        {"status": "declined"},
        headers={"HX-Request": "true"},
    )
    assert b'role="alert"' in response.content and b"in one step" in response.content


def test_contributors_cannot_move_submissions(
    production: Production, poems: Need, many: Callable[[int], list[Submission]]
) -> None:
    [submission] = many(1)
    response = logged_in(submission.submitted_by).post(  # type: ignore[arg-type]
        reverse("productions:decide", args=[submission.pk]), {"status": "selected"}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_a_move_with_htmx_takes_the_card_to_its_new_column(
    production: Production, poems: Need, producer: User, many: Callable[[int], list[Submission]]
) -> None:
    """The board sends the columns it shows; the card leaves its old one (the main swap
    deletes it) and goes to the top of its new one, out of band."""
    submission, _ = many(2)
    response = logged_in(producer).post(
        reverse("productions:decide", args=[submission.pk]),
        {"status": "shortlisted", "board_columns": "submitted shortlisted selected declined "},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response["HX-Reswap"] == "delete"
    oob = html.split('<div hx-swap-oob="afterbegin:#items-shortlisted">')[1]
    assert f'id="submission-{submission.pk}"' in oob and "sub-pill-shortlisted" in oob
    assert 'id="count-shortlisted" class="board-count" hx-swap-oob="true">1<' in html
    # A board filtered to one column has nowhere to put it: it stays, showing its status.
    other = many(1)[0]
    response = logged_in(producer).post(
        reverse("productions:decide", args=[other.pk]),
        {"status": "declined", "board_columns": "submitted "},
        headers={"HX-Request": "true"},
    )
    assert "HX-Reswap" not in response and b"afterbegin" not in response.content
    assert b"sub-pill-declined" in response.content


def test_a_card_in_the_lineup_offers_no_move_the_service_refuses(
    production: Production, poems: Need, producer: User, many: Callable[[int], list[Submission]]
) -> None:
    """Selected and in the lineup, it cannot go back to the shortlist: the card says where
    to take it out instead of offering a button that is refused (one rule for both)."""
    in_lineup, free = many(2)
    for submission in (in_lineup, free):
        submissions.submission_decide(actor=producer, submission=submission, status="selected")
    line_up(
        producer=producer,
        production=production,
        segments=[SegmentSpec(submission_id=in_lineup.pk, duration_ms=5000)],
    )
    html = logged_in(producer).get(board_url(production, need=str(poems.pk))).content.decode()
    card = html.split(f'id="submission-{in_lineup.pk}"')[1].split("</article>")[0]
    assert "Back to shortlist" not in card and "In the lineup" in card
    free_card = html.split(f'id="submission-{free.pk}"')[1].split("</article>")[0]
    assert "Back to shortlist" in free_card
    assert (
        submissions.submission_moves(production=production, current="selected", in_lineup=True)
        == []
    )
    with pytest.raises(ApplicationError) as refused:
        submissions.submission_decide(actor=producer, submission=in_lineup, status="shortlisted")
    assert refused.value.code == "in_lineup"


def test_every_move_a_card_offers_is_one_the_service_takes(
    production: Production, poems: Need, producer: User, many: Callable[[int], list[Submission]]
) -> None:
    for status in ("submitted", "shortlisted", "selected", "declined"):
        for target in submissions.submission_moves(
            production=production, current=status, in_lineup=False
        ):
            [submission] = many(1)
            if status != "submitted":
                submissions.submission_decide(actor=producer, submission=submission, status=status)
            moved = submissions.submission_decide(
                actor=producer, submission=submission, status=target
            )
            assert moved.status == target


def test_the_board_reads_no_more_than_its_cards_show(
    production: Production,
    poems: Need,
    producer: User,
    many: Callable[[int], list[Submission]],
) -> None:
    """A version's body, HTML and metadata (a waveform) are not read for 96 cards: the
    columns' queries ask for a text's first lines only."""
    many(2)
    with CaptureQueriesContext(connection) as queries:
        html = logged_in(producer).get(board_url(production, need=str(poems.pk))).content
    columns = [q["sql"] for q in queries.captured_queries if "productions_submission" in q["sql"]]
    assert columns and not any("body_html" in sql for sql in columns)
    assert b"sub-preview-excerpt" in html


# Answering a need ------------------------------------------------------------------------------
def test_the_need_partial_offers_my_records_of_the_right_kinds(
    rf: object, poems: Need, contributor: User, make_record: Callable[..., Record]
) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from riffhouse.productions.views_submissions import need_submit_context

    make_record("text", author=contributor, title="My poem")
    make_record("image", author=contributor, title="My picture")
    answered = make_record("text", author=contributor, title="Sent already")
    submissions.submission_create(
        actor=contributor, production=poems.production, record=answered, need=poems
    )
    request = RequestFactory().get("/")
    request.user = contributor
    html = render_to_string(
        "productions/_need_submit.html",
        need_submit_context(viewer=contributor, need=poems),
        request=request,
    )
    assert "My poem" in html and "My picture" not in html and "Sent already" not in html
    assert reverse("productions:need_upload", args=[poems.pk]) in html
    assert reverse("productions:need_remix", args=[poems.pk]) not in html  # no seed


def test_the_need_partial_says_when_all_of_mine_already_answer(
    poems: Need, contributor: User, make_record: Callable[..., Record]
) -> None:
    """Not "you have no writing yet" when everything they have is already submitted."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from riffhouse.productions.views_submissions import need_submit_context

    request = RequestFactory().get("/")
    request.user = contributor

    def partial() -> str:
        context = need_submit_context(viewer=contributor, need=poems)
        return render_to_string("productions/_need_submit.html", context, request=request)

    assert "You have no published writing yet." in partial()
    answered = make_record("text", author=contributor, title="Sent already")
    submissions.submission_create(
        actor=contributor, production=poems.production, record=answered, need=poems
    )
    html = partial()
    assert "Your published writing already answers this need." in html
    assert "You have no published" not in html


def test_choosing_one_of_mine_submits_it(
    poems: Need, contributor: User, make_record: Callable[..., Record]
) -> None:
    record = make_record("text", author=contributor, title="My poem")
    client = logged_in(contributor)
    response = client.post(
        reverse("productions:need_submit", args=[poems.pk]), {"record": record.pk}
    )
    submission = Submission.objects.get()
    assert response["Location"] == reverse("productions:submission", args=[submission.pk])
    again = client.post(reverse("productions:need_submit", args=[poems.pk]), {"record": record.pk})
    assert again.status_code == 400 and "already answers" in again.content.decode()


def test_submitting_someone_elses_record_by_its_address(
    production: Production, contributor: User, author: User, make_record: Callable[..., Record]
) -> None:
    theirs = make_record("text", author=author, remix_policy="closed")
    response = logged_in(contributor).post(
        reverse("productions:submit", args=[production.pk]),
        {"other": f"https://riffhouse.example/records/{theirs.pk}/"},
    )
    assert response.status_code == 400 and "only its author" in response.content.decode()
    assert not Submission.objects.exists()


def test_submitting_to_the_production_offers_my_published_records(
    production: Production, contributor: User, make_record: Callable[..., Record]
) -> None:
    """One selector lists a member's records to submit, for a need (its kinds) and for the
    production as a whole (any kind)."""
    make_record("text", author=contributor, title="My poem")
    make_record("image", author=contributor, title="My picture")
    html = logged_in(contributor).get(reverse("productions:submit", args=[production.pk]))
    assert b"My poem" in html.content and b"My picture" in html.content
    pictures = submissions.my_records_to_submit(viewer=contributor, kinds=["image"])
    assert [r.title for r in pictures] == ["My picture"]


def test_upload_for_a_need_publishes_and_submits(poems: Need, contributor: User) -> None:
    client = logged_in(contributor)
    response = client.post(
        reverse("productions:need_upload", args=[poems.pk]),
        {
            "kind": "text",
            "title": "Fresh poem",
            "body": "Written for the call.",
            "licence": "riffhouse",
            "visibility": "published",
            "remix_policy": "open",
            "message": "Hot off the press",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    submission = Submission.objects.get()
    assert submission.record.title == "Fresh poem" and submission.message == "Hot off the press"
    # It lands on the submission's page, which says which need it went to.
    landed = client.get(response["Location"]).content.decode()
    assert (
        "Published and submitted to “Poems about the launch”. You’ll hear here when the "
        "producers decide." in landed
    )


def test_upload_of_the_wrong_kind_saves_nothing(
    production: Production, producer: User, contributor: User
) -> None:
    art = services.need_create(actor=producer, production=production, title="Art", kinds=["image"])
    response = logged_in(contributor).post(
        reverse("productions:need_upload", args=[art.pk]),
        {
            "kind": "text",
            "title": "Words",
            "body": "Not art.",
            "licence": "riffhouse",
            "visibility": "published",
            "remix_policy": "open",
        },
    )
    assert response.status_code == 400
    assert not Record.objects.exists() and not Submission.objects.exists()


def test_remix_the_seed_with_one_click_waits_for_an_ask_seed(
    production: Production,
    producer: User,
    contributor: User,
    author: User,
    make_record: Callable[..., Record],
) -> None:
    seed = make_record("text", author=author, title="The seed", remix_policy="ask")
    need = services.need_create(
        actor=producer, production=production, title="Grow it", kinds=["text"], seed=seed
    )
    client = logged_in(contributor)
    page = client.get(reverse("productions:need_remix", args=[need.pk]))
    assert page.status_code == 200 and b"The seed" in page.content
    response = client.post(
        reverse("productions:need_remix", args=[need.pk]),
        {
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "0",
            "sources-MIN_NUM_FORMS": "0",
            "sources-MAX_NUM_FORMS": "20",
            "sources-0-record": str(seed.pk),
            "sources-0-usage": "",
            "kind": "text",
            "title": "Grown",
            "body": "It grew.",
            "licence": "riffhouse",
            "visibility": "published",
            "remix_policy": "open",
            "message": "May I?",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    remix = Record.objects.get(title="Grown")
    assert remix.visibility == "draft"
    assert PendingSubmission.objects.filter(need=need, record=remix).exists()
    assert not Submission.objects.exists()
    # The remix's own page says where it goes, with the need and "Your submissions" linked.
    assert response["Location"] == remix.get_absolute_url()
    # records.js posts the form by XHR, which reads the page once before the browser opens
    # it: that read leaves the message for the member's own visit.
    client.get(response["Location"], headers={"X-Upload-Form": "1"})
    landed = client.get(response["Location"]).content.decode()
    need_link = f'<a href="{reverse("productions:need", args=[need.pk])}">Grow it</a>'
    assert f"Saved. It is submitted to “{need_link}” once its sources’ authors approve" in landed
    assert f'<a href="{reverse("productions:my_submissions")}">your submissions</a>' in landed


# A submission's page, lists ------------------------------------------------------------------
def test_the_submission_page_is_for_its_contributor_author_and_producers(
    production: Production,
    poems: Need,
    producer: User,
    contributor: User,
    make_user: Callable[..., User],
    many: Callable[[int], list[Submission]],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    [submission] = many(1)
    submissions.submission_decide(
        actor=producer, submission=submission, status="declined", note="Maybe next time"
    )
    url = reverse("productions:submission", args=[submission.pk])
    assert logged_in(make_user("zed")).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    assert logged_in(producer).get(url).status_code == 200
    client = logged_in(submission.submitted_by)  # type: ignore[arg-type]
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        html = client.get(url).content.decode()
    assert "Declined" in html and "Maybe next time" in html and "Submitted" in html
    released(production)
    assert Client().get(url).status_code == 200  # public once released


def test_withdraw_from_the_submission_page(
    production: Production, poems: Need, many: Callable[[int], list[Submission]]
) -> None:
    [submission] = many(1)
    client = logged_in(submission.submitted_by)  # type: ignore[arg-type]
    page = client.get(reverse("productions:submission", args=[submission.pk]))
    assert b"Withdraw it" in page.content
    client.post(reverse("productions:withdraw", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "withdrawn"


def test_the_author_answers_a_consent_request_on_the_page(
    production: Production,
    poems: Need,
    author: User,
    contributor: User,
    make_record: Callable[..., Record],
) -> None:
    theirs = make_record("text", author=author, remix_policy="ask", title="Mine to give")
    submission = submissions.submission_create(
        actor=contributor, production=production, record=theirs, need=poems
    )
    client = logged_in(author)
    url = reverse("productions:submission", args=[submission.pk])
    assert b"asks to submit your record" in client.get(url).content
    client.post(
        reverse("productions:consent", args=[submission.pk]),
        {"approve": "0", "note": "Not this one"},
    )
    submission.refresh_from_db()
    assert (submission.consent, submission.consent_note) == ("declined", "Not this one")
    assert Notification.objects.filter(recipient=contributor, verb="submission_consent_no")
    # the notification links to the page
    notifications = logged_in(contributor).get(reverse("community:notifications"))
    assert url.encode() in notifications.content
    assert b"declined your submission" in notifications.content


def test_my_submissions_list(
    production: Production,
    poems: Need,
    contributor: User,
    make_record: Callable[..., Record],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    for i in range(3):
        submissions.submission_create(
            actor=contributor,
            production=production,
            record=make_record("text", author=contributor, title=f"Mine {i}"),
            need=poems,
        )
    client = logged_in(contributor)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        html = client.get(reverse("productions:my_submissions")).content.decode()
    assert all(f"Mine {i}" in html for i in range(3))


def test_a_productions_submissions_are_public_once_released(
    production: Production,
    poems: Need,
    many: Callable[[int], list[Submission]],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    many(3)
    url = reverse("productions:submissions", args=[production.pk])
    assert b"Poem 0" not in Client().get(url).content
    released(production)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        html = Client().get(url).content.decode()
    assert all(f"Poem {i}" in html for i in range(3))


def test_notifications_page_shows_each_submission_verb(
    production: Production,
    poems: Need,
    producer: User,
    contributor: User,
    make_record: Callable[..., Record],
) -> None:
    record = make_record("text", author=contributor, title="Heard")
    submission = submissions.submission_create(
        actor=contributor, production=production, record=record, need=poems
    )
    for status in ("shortlisted", "selected", "shortlisted", "declined", "submitted"):
        submissions.submission_decide(actor=producer, submission=submission, status=status)
    services.producer_add(actor=producer, production=production, user=contributor)
    html = logged_in(contributor).get(reverse("community:notifications")).content.decode()
    for phrase in (
        "shortlisted your submission",
        "selected your submission",
        "declined your submission",
        "moved back to submitted",
        "added you as a producer",
    ):
        assert phrase in html
    told = logged_in(producer).get(reverse("community:notifications")).content.decode()
    assert "submitted" in told and "to your production" in told


def test_upload_to_a_closed_need_makes_no_record(
    production: Production, poems: Need, producer: User, contributor: User
) -> None:
    services.production_status_set(actor=producer, production=production, status="curating")
    response = logged_in(contributor).post(
        reverse("productions:need_upload", args=[poems.pk]),
        {
            "kind": "text",
            "title": "Too late",
            "body": "Late words.",
            "licence": "riffhouse",
            "visibility": "published",
            "remix_policy": "open",
        },
    )
    assert response.status_code == 400 and b"curating" in response.content
    assert not Record.objects.exists() and not Submission.objects.exists()
