"""The community benchmark's data: members, records, hearts, follows, comments and plays at
the community issue's scale, generated in bulk on SQLite or PostgreSQL (see
bench/community.py for what is measured on it).

The shape (`Shape.at(scale)`; sizes at scale 1):
- 100,000 members, a display name each and a bio for one in three; the last three are the
  benchmark's viewers, following 100, 500 and 1,000 members (half among the most
  followed, half at random);
- 1,000,000 records, published and live with one ready version each, one every ~63 s over
  two years (ids grow with time), authored by members with a Zipf-like skew; kinds, licences
  and remix policies in realistic proportions; 0-4 tags each from 2,000 tags (Zipf);
  titles, descriptions (70 %) and text bodies (writing) drawn from a generated vocabulary of
  30,000 words with a Zipf distribution (s = 1.07), so search sees realistic term
  frequencies; one record in ten remixes an earlier open record (one in fifty of those two),
  with SourceLinks, usage notes, `remix_count` and lineage chains (`chains_rebuild`);
- 10,000,000 hearts: per record a Zipf count (s = 0.9 over a shuffled order, capped at the
  number of members), by distinct members, at times between the record's publication and
  now — the newest records' hearts are recent, which trending reads;
- 1,000,000 follows of members: per member a Zipf count (s = 1.0, shuffled), by distinct
  members, never oneself, plus the viewers' follows;
- 200,000 top-level comments from the last 30 days on records picked by their hearts;
- plays: per record a total in `RecordStats.plays` and, when the community app has a
  per-day play model (a model with a foreign key to Record, a DateField and a counter),
  rows for the last 14 days;
- `RecordStats` and `MemberStats` for every record and member, set from the rows by
  aggregate queries, so they are exact.

Numbers are drawn from numpy with a fixed seed; the large tables (hearts, follows, the
counters) are filled by one `INSERT ... SELECT` each from a per-target count joined with a
numbers table (PostgreSQL: `generate_series`; SQLite: a recursive CTE), the text-heavy ones
(members, records, versions, tags, links, comments) by `executemany` (SQLite) or COPY
(PostgreSQL). Heart and follow indexes are dropped while loading and built after. Every
row satisfies the models' constraints; `check(shape)` verifies the counts and counters.
"""

import os
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from bench.lineage import _columns

SEED = 20261207
VIEWER_FOLLOWS = (100, 500, 1000)
STEP_S = 63  # seconds between two records' publications at scale 1 (two years)
KINDS = np.array(["text", "image", "audio", "video"])
KIND_P = [0.3, 0.3, 0.3, 0.1]
LICENCES = np.array(["riffhouse", "cc-by", "cc-by-sa", "cc-by-nc", "cc-by-nc-sa", "cc0", "arr"])
LICENCE_P = [0.55, 0.12, 0.1, 0.1, 0.05, 0.03, 0.05]
POLICIES = np.array(["open", "ask", "closed"])
POLICY_P = [0.7, 0.2, 0.1]
USAGES = ("", "", "melody", "lyrics", "drums", "visuals", "voice", "palette", "the chorus")
# The most frequent words: ordinary content words (PostgreSQL's English configuration would
# drop stop words, so none are here); the rest of the vocabulary is generated.
COMMON = (  # noqa: SIM905 - a word list
    "night song light river dream blue city rain heart summer road home fire sea love "
    "shadow morning winter story voice green dance star sky window garden ghost old little "
    "broken golden silver moon train paper glass wild quiet slow electric sound colour "
    "letter friend mountain forest ocean memory echo bird stone summer"
).split()
SYLLABLES = [c + v for c in "bdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
FIRST_NAMES = (  # noqa: SIM905 - a word list
    "Ada Ben Cleo Dara Eli Fern Gus Hana Ivo Jun Kai Lena Milo Nia Otto Pia Quin Rosa Sami "
    "Tova Uma Vik Wren Xia Yara Zed Alma Bo Cyd Dev"
).split()


@dataclass(frozen=True)
class Shape:
    members: int
    records: int
    hearts: int
    follows: int
    comments: int
    tags: int = 2000
    vocabulary: int = 30_000
    play_days: int = 14
    seed: int = SEED

    @classmethod
    def at(cls, scale: float) -> "Shape":
        members = max(60, round(100_000 * scale))
        return cls(
            members=members,
            records=max(200, round(1_000_000 * scale)),
            hearts=max(1000, round(10_000_000 * scale)),
            follows=max(600, round(1_000_000 * scale)),
            comments=max(100, round(200_000 * scale)),
            tags=max(50, round(2000 * min(1.0, scale * 10))),
            vocabulary=max(2000, round(30_000 * min(1.0, scale * 10))),
        )

    @property
    def viewers(self) -> list[tuple[int, int]]:
        """(member id, how many members they follow), the last ids."""
        cap = (self.members - len(VIEWER_FOLLOWS)) // 2
        first = self.members - len(VIEWER_FOLLOWS) + 1
        return [(first + i, min(n, cap)) for i, n in enumerate(VIEWER_FOLLOWS)]

    @property
    def followable(self) -> int:
        """Members 1..W take part in the generated follows (the viewers follow separately)."""
        return self.members - len(VIEWER_FOLLOWS)

    def key(self) -> str:
        """What a kept database records: the shape and the schema it was generated on."""
        import json

        return json.dumps(asdict(self) | {"schema": schema_fingerprint()}, sort_keys=True)


def schema_fingerprint() -> str:
    """The migrations of the apps whose tables the generator fills: data generated before a
    new one landed is generated again (a new table of them would otherwise stay empty)."""
    import hashlib
    from pathlib import Path

    src = Path(__file__).resolve().parent.parent / "src" / "riffhouse"
    names = sorted(
        f"{path.parent.parent.name}/{path.name}"
        for app in ("accounts", "records", "lineage", "community")
        for path in (src / app / "migrations").glob("[0-9]*.py")
    )
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


# --- Numbers --------------------------------------------------------------------------------
def zipf_allocate(total: int, n: int, s: float, cap: int, rng: np.random.Generator) -> np.ndarray:
    """`total` split over `n` targets with Zipf weights 1/rank^s (ranks shuffled), none above
    `cap`; sums to `total` exactly."""
    if total > n * cap:
        raise ValueError(f"{total} cannot fit {n} targets of at most {cap}")
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    counts = np.zeros(n, dtype=np.int64)
    free = np.ones(n, dtype=bool)
    remaining = total
    while True:
        share = weights * free
        ideal = share / share.sum() * remaining
        over = free & (ideal > cap)
        if not over.any():
            break
        counts[over] = cap
        free &= ~over
        remaining = total - int(counts.sum())
    floor = np.floor(ideal).astype(np.int64) * free
    counts += floor
    left = total - int(counts.sum())
    order = np.argsort(-(ideal - floor) * free, kind="stable")
    counts[order[:left]] += 1
    assert int(counts.sum()) == total and int(counts.max()) <= cap
    return counts[rng.permutation(n)]


def zipf_ranks(size: int, n: int, s: float, rng: np.random.Generator) -> np.ndarray:
    """`size` draws of 0-based ranks in [0, n) with P(rank r) ∝ 1/(r+1)^s."""
    cdf = np.cumsum(1.0 / np.arange(1, n + 1, dtype=np.float64) ** s)
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(size)), n - 1)


def vocabulary(n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` distinct words, most frequent first: the common words, then generated ones of two
    to four syllables (shorter ones earlier, as in natural language)."""
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    length = 2
    while len(words) < n:
        syllables = rng.integers(0, len(SYLLABLES), size=length)
        word = "".join(SYLLABLES[i] for i in syllables)
        if word not in seen:
            seen.add(word)
            words.append(word)
        if len(words) > 400 * length**3:
            length = min(4, length + 1)
    return np.array(words[:n], dtype=object)


def texts(
    count: int, low: int, high: int, words: np.ndarray, rng: np.random.Generator
) -> list[str]:
    """`count` texts of `low`..`high` words drawn from `words` by Zipf rank."""
    lengths = rng.integers(low, high + 1, size=count)
    drawn = words[zipf_ranks(int(lengths.sum()), len(words), 1.07, rng)]
    ends = np.cumsum(lengths)
    starts = ends - lengths
    return [" ".join(drawn[a:b]) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]


# --- Loading --------------------------------------------------------------------------------
class Loader:
    def __init__(self, shape: Shape, *, fast: bool) -> None:
        from django.db import connection

        self.shape = shape
        self.fast = fast  # foreign key checks off while loading (not inside a test)
        self.vendor = connection.vendor
        self.now = int(time.time())
        self.times: dict[str, float] = {}
        # This process's CPU seconds per step beside the wall clock (on a shared machine the
        # wall clock also measures waiting for a CPU; PostgreSQL's own work is not in it).
        self.cpu: dict[str, float] = {}
        self.mark, self.mark_cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        now, now_cpu = time.perf_counter(), time.process_time()
        self.times[name] = round(now - self.mark, 1)
        self.cpu[name] = round(now_cpu - self.mark_cpu, 1)
        self.mark, self.mark_cpu = now, now_cpu
        print(
            f"  [{self.vendor}] {name}: {self.times[name]} s (CPU {self.cpu[name]} s, "
            f"load {os.getloadavg()[0]:.1f})",
            flush=True,
        )

    def stamp(self, epoch: int) -> Any:
        moment = datetime.fromtimestamp(epoch, UTC)
        return str(moment.replace(tzinfo=None)) if self.vendor == "sqlite" else moment

    def ts_sql(self, expr: str) -> str:
        """SQL turning integer epoch seconds into a stored timestamp."""
        if self.vendor == "sqlite":
            return f"datetime({expr}, 'unixepoch')"
        return f"to_timestamp({expr})"

    def copy(self, model: Any, given: dict[str, Any]) -> None:
        from django.db import connection

        columns, rows = _columns(model, given)
        table = model._meta.db_table
        raw = connection.connection
        if self.vendor == "sqlite":
            raw.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our names
                f"VALUES ({', '.join('?' * len(columns))})",
                rows,
            )
        else:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)

    def counts_table(self, name: str, counts: np.ndarray) -> None:
        """A temporary table (id, c): target id i + 1 gets counts[i]."""
        from django.db import connection

        raw = connection.connection
        ids = np.flatnonzero(counts) + 1
        rows = zip(ids.tolist(), counts[ids - 1].tolist(), strict=True)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {name} (id BIGINT PRIMARY KEY, c BIGINT)")
        if self.vendor == "sqlite":
            raw.executemany(f"INSERT INTO {name} (id, c) VALUES (?, ?)", rows)  # noqa: S608
        else:
            with raw.cursor() as cursor, cursor.copy(f"COPY {name} (id, c) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def numbers_table(self, upto: int) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE bench_numbers (i BIGINT PRIMARY KEY)")
            if self.vendor == "sqlite":
                cursor.execute(
                    "WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g "
                    "WHERE i < %s) INSERT INTO bench_numbers SELECT i FROM g",
                    [upto],
                )
            else:
                cursor.execute("INSERT INTO bench_numbers SELECT generate_series(0, %s)", [upto])

    def run(self) -> dict[str, float]:
        from django.db import connection, transaction

        connection.ensure_connection()
        with transaction.atomic():
            if self.vendor == "postgresql" and self.fast:
                with connection.cursor() as cursor:
                    # Foreign keys are triggers: skip them while loading (consistent by
                    # construction; `check` verifies the rows).
                    cursor.execute("SET LOCAL session_replication_role = replica")
            self.load()
        self.finish()
        self.times["total_s"] = round(sum(self.times.values()), 1)
        self.times["cpu_total_s"] = round(sum(self.cpu.values()), 1)
        return self.times

    def load(self) -> None:
        from django.contrib.auth import get_user_model
        from django.core.management.color import no_style
        from django.db import connection

        from riffhouse.community.models import Comment, Follow, Heart, MemberStats, RecordStats
        from riffhouse.lineage.chains import chains_rebuild
        from riffhouse.lineage.models import SourceLink
        from riffhouse.records.models import Record, RecordVersion, Tag

        User = get_user_model()
        shape = self.shape
        rng = np.random.default_rng(shape.seed)
        n, m = shape.records, shape.members
        words = vocabulary(shape.vocabulary, rng)
        self.lap("vocabulary_s")

        # Members.
        first = np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), m)]
        last = words[rng.integers(0, min(3000, len(words)), m)]
        bios = texts(m, 5, 30, words, rng)
        has_bio = rng.random(m) < 1 / 3
        member_ids = range(1, m + 1)
        joined = [self.stamp(self.now - 800 * 86400 + i * (700 * 86400 // m)) for i in member_ids]
        self.copy(
            User,
            {
                "id": member_ids,
                "username": (f"member{i}" for i in member_ids),
                "email": (f"member{i}@bench.invalid" for i in member_ids),
                "display_name": (f"{a} {b.title()}" for a, b in zip(first, last, strict=True)),
                "bio": (b if h else "" for b, h in zip(bios, has_bio.tolist(), strict=True)),
                "password": "!bench",
                "date_joined": joined,
            },
        )
        self.lap("members_s")

        # Records and their versions.
        record_ids = range(1, n + 1)
        step = max(1, STEP_S * 1_000_000 // n)
        published = [self.now - (n - i) * step - 60 for i in record_ids]
        stamps = [self.stamp(e) for e in published]
        authors = (zipf_ranks(n, m, 0.8, rng)[rng.permutation(n)] + 1).tolist()
        permutation = rng.permutation(m)  # prolific authors are not simply the first ids
        authors = [int(permutation[a - 1]) + 1 for a in authors]
        kinds = rng.choice(KINDS, size=n, p=KIND_P)
        policies = rng.choice(POLICIES, size=n, p=POLICY_P)
        titles = [t.capitalize() for t in texts(n, 2, 6, words, rng)]
        descriptions = texts(n, 8, 40, words, rng)
        has_description = (rng.random(n) < 0.7).tolist()
        is_text = (kinds == "text").tolist()
        bodies = texts(int(sum(is_text)), 30, 120, words, rng)
        body_iter = iter(bodies)
        body = [next(body_iter) if t else "" for t in is_text]
        description = [d if h else "" for d, h in zip(descriptions, has_description, strict=True)]
        self.copy(
            Record,
            {
                "id": record_ids,
                "author_id": authors,
                "kind": kinds.tolist(),
                "title": titles,
                "description": description,
                "licence": rng.choice(LICENCES, size=n, p=LICENCE_P).tolist(),
                "remix_policy": policies.tolist(),
                "visibility": "published",
                "current_version_id": record_ids,  # one version per record, the record's id
                "live_version_id": record_ids,
                "published_at": stamps,
                "created_at": stamps,
                "updated_at": stamps,
            },
        )
        prefix = f"{shape.seed:016x}"
        self.copy(
            RecordVersion,
            {
                "id": record_ids,
                "record_id": record_ids,
                "number": 1,
                "key": (f"{prefix}{i:016x}" for i in record_ids),
                "created_by_id": authors,
                "created_at": stamps,
                "title": titles,
                "description": description,
                "body": body,
                "body_html": (f"<p>{b}</p>" if b else "" for b in body),
                "mime": ("text/markdown" if t else "application/octet-stream" for t in is_text),
                "status": "ready",
                "processed_at": stamps,
            },
        )
        self.lap("records_s")

        # Tags: 0-4 per record, Zipf over the tags.
        tag_words = list(dict.fromkeys(words[: shape.tags * 2].tolist()))[: shape.tags]
        self.copy(Tag, {"id": range(1, len(tag_words) + 1), "name": tag_words})
        per_record = rng.choice(5, size=n, p=[0.2, 0.3, 0.25, 0.15, 0.1])
        tag_record = np.repeat(np.arange(1, n + 1), per_record)
        tag_id = zipf_ranks(len(tag_record), len(tag_words), 1.0, rng) + 1
        pairs = np.unique(tag_record * (len(tag_words) + 1) + tag_id)
        through = Record.tags.through
        self.copy(
            through,
            {
                "id": range(1, len(pairs) + 1),
                "record_id": (pairs // (len(tag_words) + 1)).tolist(),
                "tag_id": (pairs % (len(tag_words) + 1)).tolist(),
            },
        )
        self.lap("tags_s")

        # Remixes: one record in ten builds on an earlier open record (1 in 50 on two).
        open_ids = np.flatnonzero(policies == "open") + 1
        remixes = np.flatnonzero(rng.random(n) < 0.1) + 1
        remixes = remixes[remixes > open_ids[0]]
        link_record: list[int] = []
        link_source: list[int] = []
        for record in remixes.tolist():
            earlier = int(np.searchsorted(open_ids, record))  # open records before it
            picks = {int(open_ids[int(rng.integers(0, earlier))])}
            if rng.random() < 0.02 and earlier > 1:
                picks.add(int(open_ids[int(rng.integers(0, earlier))]))
            for source in sorted(picks):
                link_record.append(record)
                link_source.append(source)
        usages = rng.integers(0, len(USAGES), size=len(link_record))
        self.copy(
            SourceLink,
            {
                "id": range(1, len(link_record) + 1),
                "record_id": link_record,
                "source_id": link_source,
                "source_version_id": link_source,
                "usage": [USAGES[u] for u in usages.tolist()],
                "created_at": [stamps[r - 1] for r in link_record],
            },
        )
        with connection.cursor() as cursor:
            records, links = Record._meta.db_table, SourceLink._meta.db_table
            cursor.execute(
                f"UPDATE {records} SET remix_count = (SELECT COUNT(*) FROM {links} "  # noqa: S608
                f"WHERE {links}.source_id = {records}.id) "
                f"WHERE id IN (SELECT source_id FROM {links})"
            )
        chains_rebuild()
        self.lap("remixes_s")

        # Hearts and follows: indexes off while loading.
        dropped = self.indexes_drop([Heart, Follow])
        hearts = zipf_allocate(shape.hearts, n, 0.9, m, rng)
        self.counts_table("bench_heart_counts", hearts)
        w = shape.followable
        viewer_total = sum(k for _, k in shape.viewers)
        follows = zipf_allocate(shape.follows - viewer_total, w, 1.0, w - 1, rng)
        self.counts_table("bench_follow_counts", follows)
        self.numbers_table(max(m, int(hearts.max()), int(follows.max())))
        self.lap("counts_s")
        heart_t, follow_t = Heart._meta.db_table, Follow._meta.db_table
        with connection.cursor() as cursor:
            age = f"(({n} - c.id) * {step} + 60)"
            cursor.execute(
                f"INSERT INTO {heart_t} (user_id, record_id, production_id, created_at) "  # noqa: S608
                f"SELECT ((c.id * 7919 + n.i) % {m}) + 1, c.id, NULL, "
                + self.ts_sql(f"{self.now} - ((c.id * 2654435761 + n.i * 40503) % {age})")
                + " FROM bench_heart_counts c JOIN bench_numbers n ON n.i < c.c"
            )
        self.lap("hearts_s")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {follow_t} (follower_id, user_id, production_id, created_at) "  # noqa: S608
                f"SELECT ((c.id - 1) + 1 + ((c.id * 7919 + n.i) % {w - 1})) % {w} + 1, c.id, "
                "NULL, "
                + self.ts_sql(f"{self.now} - ((c.id * 2654435761 + n.i * 40503) % 63000000)")
                + " FROM bench_follow_counts c JOIN bench_numbers n ON n.i < c.c"
            )
        popular = np.argsort(-follows, kind="stable")[: max(10, w // 20)] + 1
        viewer_rows: list[tuple[int, int]] = []
        for viewer, k in shape.viewers:
            chosen = set(
                rng.choice(popular, size=min(k // 2, len(popular)), replace=False).tolist()
            )
            while len(chosen) < k:
                chosen.add(int(rng.integers(1, w + 1)))
            viewer_rows += [(viewer, int(t)) for t in sorted(chosen)]
        follow_ts = self.now - rng.integers(86400, 300 * 86400, size=len(viewer_rows))
        with connection.cursor() as cursor:  # ids from the table's sequence
            cursor.executemany(
                f"INSERT INTO {follow_t} (follower_id, user_id, production_id, created_at) "  # noqa: S608
                "VALUES (%s, %s, NULL, %s)",
                [
                    (f, t, self.stamp(int(e)))
                    for (f, t), e in zip(viewer_rows, follow_ts.tolist(), strict=True)
                ],
            )
        self.lap("follows_s")
        self.indexes_create(dropped)
        self.lap("heart_follow_indexes_s")

        # Recent comments, on records picked by their hearts.
        c = shape.comments
        weights = (hearts + 1) / (hearts + 1).sum()
        on = rng.choice(n, size=c, p=weights) + 1
        comment_ts = np.sort(self.now - rng.integers(60, 30 * 86400, size=c))[::-1]
        comment_ts = np.maximum(comment_ts, np.array(published)[on - 1] + 1)
        comment_bodies = texts(c, 3, 40, words, rng)
        self.copy(
            Comment,
            {
                "id": range(1, c + 1),
                "author_id": (rng.integers(1, m + 1, size=c)).tolist(),
                "record_id": on.tolist(),
                "body": comment_bodies,
                "body_html": (f"<p>{b}</p>" for b in comment_bodies),
                "created_at": [self.stamp(int(e)) for e in comment_ts.tolist()],
            },
        )
        self.lap("comments_s")

        plays = self.plays(hearts, rng)
        self.lap("plays_s")

        # The exact counters, from the rows.
        with connection.cursor() as cursor:
            rs, ms, comment_t = (
                RecordStats._meta.db_table,
                MemberStats._meta.db_table,
                Comment._meta.db_table,
            )
            cursor.execute("CREATE TEMPORARY TABLE bench_plays (id BIGINT PRIMARY KEY, c BIGINT)")
            raw = connection.connection
            ids = np.flatnonzero(plays) + 1
            rows = zip(ids.tolist(), plays[ids - 1].tolist(), strict=True)
            if self.vendor == "sqlite":
                raw.executemany("INSERT INTO bench_plays (id, c) VALUES (?, ?)", rows)
            else:
                with raw.cursor() as c2, c2.copy("COPY bench_plays (id, c) FROM STDIN") as cp:
                    for row in rows:
                        cp.write_row(row)
            records_t, users_t = Record._meta.db_table, User._meta.db_table
            if self.vendor == "sqlite":
                # A count per row from the covering indexes (SQLite's best plan here).
                hearts_of = f"(SELECT COUNT(*) FROM {heart_t} h WHERE h.record_id = r.id)"  # noqa: S608
                comments_of = (
                    f"(SELECT COUNT(*) FROM {comment_t} k WHERE k.record_id = r.id "  # noqa: S608
                    "AND k.deleted_at IS NULL)"
                )
                followers_of = f"(SELECT COUNT(*) FROM {follow_t} f WHERE f.user_id = u.id)"  # noqa: S608
                following_of = (
                    f"(SELECT COUNT(*) FROM {follow_t} f WHERE f.follower_id = u.id "  # noqa: S608
                    "AND f.user_id IS NOT NULL)"
                )
                record_joins = member_joins = ""
            else:
                # One aggregate per table, joined (PostgreSQL's best plan here).
                hearts_of, comments_of = "COALESCE(h.n, 0)", "COALESCE(k.n, 0)"
                followers_of, following_of = "COALESCE(a.n, 0)", "COALESCE(b.n, 0)"
                record_joins = (
                    f"LEFT JOIN (SELECT record_id, COUNT(*) AS n FROM {heart_t} "  # noqa: S608
                    "GROUP BY record_id) h ON h.record_id = r.id "
                    f"LEFT JOIN (SELECT record_id, COUNT(*) AS n FROM {comment_t} "
                    "WHERE deleted_at IS NULL GROUP BY record_id) k ON k.record_id = r.id "
                )
                member_joins = (
                    f"LEFT JOIN (SELECT user_id, COUNT(*) AS n FROM {follow_t} "  # noqa: S608
                    "GROUP BY user_id) a ON a.user_id = u.id "
                    f"LEFT JOIN (SELECT follower_id, COUNT(*) AS n FROM {follow_t} "
                    "WHERE user_id IS NOT NULL GROUP BY follower_id) b ON b.follower_id = u.id "
                )
            cursor.execute(
                f"INSERT INTO {rs} (record_id, hearts, comments, plays) "  # noqa: S608
                f"SELECT r.id, {hearts_of}, {comments_of}, COALESCE(p.c, 0) "
                f"FROM {records_t} r {record_joins}"
                "LEFT JOIN bench_plays p ON p.id = r.id"
            )
            cursor.execute(
                f"INSERT INTO {ms} (user_id, followers, following) "  # noqa: S608
                f"SELECT u.id, {followers_of}, {following_of} FROM {users_t} u {member_joins}"
            )
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [User, Record, RecordVersion, Tag, through, SourceLink, Comment]
            ):
                cursor.execute(sql)
            for table in ("bench_heart_counts", "bench_follow_counts", "bench_numbers"):
                cursor.execute(f"DROP TABLE {table}")
            cursor.execute("DROP TABLE bench_plays")
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_shape (shape TEXT, at TEXT)")
            cursor.execute("DELETE FROM bench_shape")
            cursor.execute(
                "INSERT INTO bench_shape (shape, at) VALUES (%s, %s)",
                [shape.key(), datetime.now(UTC).isoformat()],
            )
        self.lap("counters_s")

    def plays(self, hearts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Play totals per record (about three plays a heart, noisy); and per-day rows for
        the last days when the community app has a per-day play model."""
        from django.db.models import Sum

        shape = self.shape
        totals = rng.poisson(hearts * 3 + 1)
        model = play_day_model()
        if model is None:
            print(
                f"  [{self.vendor}] per-day plays: no per-day play model in the community "
                "app on this branch; only RecordStats.plays totals are set",
                flush=True,
            )
            return totals
        record_f, day_f, count_f = model
        # The last `play_days` days: a share of each total, for records that were played.
        played = np.flatnonzero(totals > 3) + 1
        days = rng.integers(1, shape.play_days + 1, size=len(played))
        rows_record: list[int] = []
        rows_day: list[date] = []
        rows_count: list[int] = []
        today = datetime.fromtimestamp(self.now, UTC).date()
        for record, k in zip(played.tolist(), days.tolist(), strict=True):
            share = max(1, int(totals[record - 1]) // 10)
            for d in range(k):
                rows_record.append(record)
                rows_day.append(today - timedelta(days=d))
                rows_count.append(max(1, share // (d + 1)))
        model_cls = record_f.model
        given: dict[str, Any] = {
            record_f.attname: rows_record,
            day_f.attname: [d.isoformat() if self.vendor == "sqlite" else d for d in rows_day],
            count_f.attname: rows_count,
        }
        if model_cls._meta.pk.attname not in given:
            given[model_cls._meta.pk.attname] = range(1, len(rows_record) + 1)
        self.copy(model_cls, given)
        recent = dict(
            model_cls.objects.values(record_f.attname)
            .annotate(total=Sum(count_f.attname))
            .values_list(record_f.attname, "total")
        )
        for record, total in recent.items():  # the totals include the recent days
            totals[record - 1] = max(int(totals[record - 1]), int(total))
        return totals

    def indexes_drop(self, models: list[Any]) -> list[tuple[Any, Any]]:
        """Drop the models' indexes and partial unique constraints (indexes on both
        databases); returns them to create again."""
        from django.db import connection
        from django.db.models import UniqueConstraint

        editor = connection.schema_editor(collect_sql=True)
        editor.deferred_sql = []  # used without entering it (no DDL transaction of its own)
        dropped: list[tuple[Any, Any]] = []
        with connection.cursor() as cursor:
            for model in models:
                items = list(model._meta.indexes) + [
                    c
                    for c in model._meta.constraints
                    if isinstance(c, UniqueConstraint) and c.condition is not None
                ]
                for item in items:
                    cursor.execute(str(item.remove_sql(model, editor)))
                    dropped.append((model, item))
        return dropped

    def indexes_create(self, dropped: list[tuple[Any, Any]]) -> None:
        from django.db import connection

        editor = connection.schema_editor(collect_sql=True)
        editor.deferred_sql = []  # used without entering it (no DDL transaction of its own)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # Check the deferred foreign keys now: PostgreSQL builds no index on a table
                # with pending trigger events.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for model, item in dropped:
                cursor.execute(str(item.create_sql(model, editor)))

    def finish(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("ANALYZE")
                if self.fast:  # not inside a test's transaction
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            elif self.fast:
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")
        self.lap("analyze_s")


def play_day_model() -> tuple[Any, Any, Any] | None:
    """The community app's per-day play counter, if it has one (feeds' `RecordPlayDay`, on
    its branch): a model with one foreign key to Record, one DateField and one positive
    integer counter. Returns its three fields."""
    from django.apps import apps
    from django.db import models

    from riffhouse.records.models import Record

    for model in apps.get_models():
        if not model.__module__.startswith("riffhouse.community"):
            continue
        fields = model._meta.concrete_fields
        record = [
            f for f in fields if isinstance(f, models.ForeignKey) and f.related_model is Record
        ]
        day = [
            f
            for f in fields
            if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
        ]
        counter = [
            f
            for f in fields
            if isinstance(f, models.PositiveIntegerField | models.PositiveBigIntegerField)
            and not f.primary_key
        ]
        if len(record) == 1 and len(day) == 1 and len(counter) == 1:
            return record[0], day[0], counter[0]
    return None


def generate(shape: Shape, *, fast: bool = True) -> dict[str, float]:
    """Fill a migrated, empty database with `shape`; returns seconds per step."""
    return Loader(shape, fast=fast).run()


def stored_shape() -> str | None:
    """The shape a previous generation recorded in this database, if any."""
    from django.db import connection

    if "bench_shape" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT shape FROM bench_shape")
        row = cursor.fetchone()
    return row[0] if row else None


def check(shape: Shape) -> dict[str, int]:
    """The rows and counters as generated: raises AssertionError on any mismatch."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, F

    from riffhouse.community.models import Comment, Follow, Heart, MemberStats, RecordStats
    from riffhouse.records.models import Record

    User = get_user_model()
    found = {
        "members": User.objects.count(),
        "records": Record.objects.listed().count(),
        "hearts": Heart.objects.count(),
        "follows": Follow.objects.count(),
        "comments": Comment.objects.count(),
    }
    wanted = {k: getattr(shape, k) for k in found}
    assert found == wanted, f"counts {found} != {wanted}"
    for viewer, k in shape.viewers:
        got = Follow.objects.filter(follower_id=viewer).count()
        assert got == k, f"viewer {viewer} follows {got}, not {k}"
    heart_counts = dict(
        Heart.objects.values("record_id").annotate(n=Count("id")).values_list("record_id", "n")
    )
    comment_counts = dict(
        Comment.objects.values("record_id").annotate(n=Count("id")).values_list("record_id", "n")
    )
    followers = dict(
        Follow.objects.values("user_id").annotate(n=Count("id")).values_list("user_id", "n")
    )
    following = dict(
        Follow.objects.values("follower_id").annotate(n=Count("id")).values_list("follower_id", "n")
    )
    assert RecordStats.objects.count() == shape.records
    for record_id, hearts, comments in RecordStats.objects.values_list(
        "record_id", "hearts", "comments"
    ):
        assert hearts == heart_counts.get(record_id, 0), f"record {record_id} hearts"
        assert comments == comment_counts.get(record_id, 0), f"record {record_id} comments"
    assert MemberStats.objects.count() == shape.members
    for user_id, n_followers, n_following in MemberStats.objects.values_list(
        "user_id", "followers", "following"
    ):
        assert n_followers == followers.get(user_id, 0), f"member {user_id} followers"
        assert n_following == following.get(user_id, 0), f"member {user_id} following"
    assert not Follow.objects.filter(follower_id=F("user_id")).exists()
    return found
