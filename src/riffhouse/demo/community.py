"""The demo's community: the six members follow one another and the productions, heart the
work they like, talk about it in comment threads (with replies, @mentions, a pinned and an
edited comment), play each other's music, and find the notifications all that makes waiting.

Everything goes through community's services, as members' clicks would. Each member stays
well inside the new-account rate limits (`core.ratelimit`): at most four comments, eight
follows and ten hearts, so nothing is reset or bypassed and a newcomer logging in as a demo
member still has most of their first ten minutes' comments to make.
"""

import logging
import uuid

from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from riffhouse.accounts.models import User
from riffhouse.community.comments import services as comments
from riffhouse.community.feeds import selectors as feeds
from riffhouse.community.feeds import services as feeds_services
from riffhouse.community.social import services as social
from riffhouse.productions.models import Production, Segment
from riffhouse.records.models import Record

# Who follows whom: every member follows a few others, so each has followers to be told of
# and a home feed of their follows' work.
FOLLOWS: dict[str, list[str]] = {
    "ada": ["orion", "sable", "mira", "tomas"],
    "juno": ["orion", "sable", "mira", "tomas"],
    "orion": ["mira", "ada", "sable"],
    "sable": ["mira", "tomas", "orion"],
    "mira": ["ada", "sable", "orion", "juno"],
    "tomas": ["sable", "orion", "juno"],
}
# Productions (by theme) and their followers: an audience for the release and the calls.
PRODUCTION_FOLLOWS: dict[str, list[str]] = {
    "Space": ["mira", "orion", "ada"],
    "Fantasy": ["orion", "tomas", "mira"],
    "Games": ["sable", "juno"],
}
# Hearts on records (by title) and productions (by theme): varied counts.
HEARTS: dict[str, list[str]] = {
    "Night Shift at the Observatory": ["ada", "orion", "sable", "juno", "tomas"],
    "Lydian Drift": ["mira", "ada", "sable", "juno"],
    "Speedrun": ["orion", "sable", "juno", "mira"],
    "Far Side of the Nebula": ["orion", "mira", "tomas"],
    "The Castle on the Crag": ["tomas", "mira"],
    "Rent Day": ["ada", "juno"],
    "Insert Coin": ["tomas", "orion"],
    "Level 1-1": ["juno"],
    "The Cartographer's Waltz": ["orion"],
}
PRODUCTION_HEARTS: dict[str, list[str]] = {
    "Space": ["ada", "orion", "mira", "sable", "tomas"],
    "Fantasy": ["orion", "mira"],
}
# Plays of the music and animations, one per member's browser.
PLAYS: dict[str, list[str]] = {
    "Lydian Drift": ["ada", "mira", "sable", "juno", "tomas"],
    "Launch Window": ["ada", "mira", "juno"],
    "Insert Coin": ["tomas", "orion", "mira"],
    "Speedrun": ["juno", "sable"],
}


def build(*, members: dict[str, User]) -> int:
    """Follows, hearts, comment threads and plays among the demo's members and work, then
    the trending table; returns how many comments were written. Call it in the demo's
    transaction, after the productions."""
    records = {
        r.title: r for r in Record.objects.filter(visibility="published", deleted_at__isnull=True)
    }
    productions = {p.theme: p for p in Production.objects.all()}

    for follower, followed in FOLLOWS.items():
        for name in followed:
            social.follow_add(follower=members[follower], user=members[name])
    for theme, followers in PRODUCTION_FOLLOWS.items():
        for name in followers:
            social.follow_add(follower=members[name], production=productions[theme])
    for title, hearts in HEARTS.items():
        for name in hearts:
            social.heart_add(user=members[name], record=records[title])
    for theme, hearts in PRODUCTION_HEARTS.items():
        for name in hearts:
            social.heart_add(user=members[name], production=productions[theme])

    made = _threads(members=members, records=records, space=productions["Space"])

    for title, listeners in PLAYS.items():
        playable = feeds.record_playable(record_id=records[title].pk)
        if playable is None:  # still being processed by the worker: no player to press
            continue
        for name in listeners:
            feeds_services.record_play_count(
                record=playable,
                listener=feeds_services.play_listener_key(
                    session_key=None, address="127.0.0.1", user_agent=f"riffhouse demo {name}"
                ),
            )
    feeds_services.trending_compute()
    return made


def _threads(*, members: dict[str, User], records: dict[str, Record], space: Production) -> int:
    """The comment threads; returns how many comments were written."""
    ada, juno, orion = members["ada"], members["juno"], members["orion"]
    sable, mira, tomas = members["sable"], members["mira"], members["tomas"]
    say = comments.comment_create
    count = 0

    # Mira's poem, the root of the space chain: the thread its author pins.
    poem = records["Night Shift at the Observatory"]
    first = say(
        author=orion,
        record=poem,
        body=(
            "“I feed it coffee and arithmetic; it gives me back the dark” — I held one "
            "Lydian chord under that line for a whole evening. Lydian Drift is that chord, "
            "stretched out until morning."
        ),
    )
    say(
        author=mira,
        parent=first,
        body=(
            "@orion I listened with the poem open beside me and the dome really does turn "
            "in your pads. Thank you for hearing the old dog in it."
        ),
    )
    say(
        author=ada,
        parent=first,
        body="Same here: Far Side of the Nebula is the star named for the mother. @mira, "
        "this poem keeps giving.",
    )
    say(
        author=juno,
        record=poem,
        body=(
            "This closes Leaving Earth and I can't imagine the episode ending any other way. "
            "The ledger that doesn't ask what it means — perfect last words."
        ),
    )
    comments.comment_pin(actor=mira, comment=first)
    count += 4

    # Sable's story: a map people want to draw and score.
    story = records["The Cartographer's Last Map"]
    question = say(
        author=tomas,
        record=story,
        body=(
            "Wren Ashby deserves an animation. Would you mind if I flew a dragon over her "
            "last map for Maps and Dragons? @sable, I'd keep your coastline exactly."
        ),
    )
    say(
        author=sable,
        parent=question,
        body=(
            "Please do! The map is open to remix. Fly low over the northern ridges — that's "
            "where she hid the only place that matters."
        ),
    )
    waltz = say(
        author=orion,
        record=story,
        body="Read it twice, then wrote a harp part in three-four for the map room. @sable "
        "does the waltz fit her?",
    )
    # Orion tidies his comment: the page shows it as edited.
    comments.comment_edit(
        actor=orion,
        comment=waltz,
        body=(
            "Read it twice, then wrote a harp part in three-four for the map room. @sable, "
            "does The Cartographer's Waltz fit her? Be honest, the flute can go."
        ),
    )
    count += 3

    # Tomas's animation, and the remix it stands on.
    speedrun = records["Speedrun"]
    cheer = say(
        author=juno,
        record=speedrun,
        body="The slime bounce at the end of the level made the whole studio laugh. "
        "This is going in Game Night.",
    )
    say(
        author=tomas,
        parent=cheer,
        body="Twelve frames of bounce, @juno. Mira's Save Point made me give the hero "
        "somewhere to rest.",
    )
    say(
        author=mira,
        record=speedrun,
        body="Seeing my little poem as title cards between the levels — I grinned like a "
        "coin block. Thank you, @tomas.",
    )
    count += 3

    # Mira's rent-day poem: a quieter thread.
    rent = records["Rent Day"]
    say(
        author=sable,
        record=rent,
        body="“They keep their coats on.” I can see them at the table. I might draw them, "
        "polite and a bit damp from the rain.",
    )
    count += 1

    # The released episode, and one of its segments.
    episode = say(
        author=ada,
        production=space,
        body=(
            "Watched Leaving Earth three times. A poem, a track, a picture and a launch, "
            "four members who'd never met in one room. This is why we run this place."
        ),
    )
    say(
        author=juno,
        parent=episode,
        body="And every segment credits its whole chain. @orion @mira, you carried the "
        "second half.",
    )
    # A segment is named by its 1-based place in the released lineup.
    lineup = list(
        Segment.objects.filter(production=space)
        .order_by("position")
        .values_list("record__title", flat=True)
    )
    if "Launch Window" in lineup:
        say(
            author=sable,
            production=space,
            segment_number=lineup.index("Launch Window") + 1,
            body="The little rocket passing the ringed giant — I paused it to count the "
            "parallax layers. Lovely work, @orion.",
        )
        count += 1
    count += 2
    return count


def notifications_deliver_queued() -> int:
    """Run the notification jobs waiting in the database job queue now, here, as the
    worker would (django-tasks-db's own claim and run), so the demo's members find their
    notifications the moment they log in. Nothing waits with an inline job backend
    (tests): there the jobs ran as they were enqueued. Returns how many jobs ran.

    Call it after the demo's transaction commits, so the jobs read committed rows."""
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return 0
    worker_id = f"demo-{uuid.uuid4().hex[:12]}"
    worker = Worker(
        queue_names=["notifications"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ready = DBTaskResult.objects.ready().filter(backend_name="default", queue_name="notifications")
    ran = 0
    # The tasks framework logs two lines a job; the demo's output is its logins, not those.
    quiet = logging.getLogger("django.tasks")
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    try:
        while True:
            with exclusive_transaction(ready.db):
                job = ready.get_locked()
                if job is None:
                    break
                job.claim(worker_id)
            worker.run_task(job)
            ran += 1
    finally:
        quiet.setLevel(level)
    return ran
