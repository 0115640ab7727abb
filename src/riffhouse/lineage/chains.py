"""Chains: the remix graph's single-source runs, stored so that a deep ancestry is read as one
index range.

Most remixes have one source, so lineages are mostly long runs: a poem, its illustration, an
animation of the illustration, and so on. A recursive query walks such a run one dependent
index lookup per generation (10,000 generations: 50-70 ms before any Python), so each run is
kept as a *chain*: its first record is the *head*, and the link of every later record carries
the head and the record's position (1, 2, ...). The ancestors walk (lineage.selectors) reads a
whole run at once and recurses only where a record has several sources or where runs meet.

A record continues its source's chain when it has exactly one source and is the first such
remix of that source (the source is its chain's tail); other remixes head chains of their
own. What holds (`chains_check`, used by the tests):
- a chain link's record has that one link and no other;
- position 1's source is the head; position k's source is the record at position k - 1;
- a record continues at most one chain (a unique constraint).
Links without chain columns are walked link by link, so chains may end anywhere: a chain cut
short (or none at all) is only slower. What must not happen is a gap inside a chain, which
`chains_check` reports and `chains_rebuild` (or `riffhouse lineage_chains --rebuild`) mends.

Writers: `remix_create` (a new record joins its source's chain, with no tail to move) and
`record_sources_set` (the edited record leaves its chain, the records after it following as
a chain it heads, and may then join its new source's). Both already hold the source's row
lock. Moving a tail also locks the tail's records, which a `remix_create` joining at the tail
holds too, so no record joins a chain while that chain is moving.
"""

from itertools import batched

from django.db import connection
from django.db.models import F, QuerySet

from riffhouse.lineage.models import SourceLink
from riffhouse.records.services import records_lock

_BATCH = 5_000


def _lock_records(links: QuerySet[SourceLink]) -> None:
    """Lock the records of these links (a chain's tail), in id order."""
    records_lock(record_ids=links.values_list("record_id", flat=True))


def chain_leave(record_id: int) -> None:
    """Before `record_id`'s sources change: it stops continuing its chain, and the records
    after it in that chain follow it, in a chain it heads."""
    link = (
        SourceLink.objects.filter(record_id=record_id, chain_head__isnull=False)
        .only("pk", "chain_head_id", "chain_position")
        .first()
    )
    if link is None or link.chain_position is None:
        return
    head, position = link.chain_head_id, link.chain_position
    tail = SourceLink.objects.filter(chain_head_id=head, chain_position__gt=position)
    _lock_records(tail)
    tail.update(chain_head_id=record_id, chain_position=F("chain_position") - position)
    SourceLink.objects.filter(pk=link.pk).update(chain_head=None, chain_position=None)


def chain_join(record_id: int) -> None:
    """After `record_id`'s sources are set: if it has exactly one source and that source has
    no chain continuing from it yet, `record_id` continues the source's chain, bringing the
    chain it heads along."""
    links = list(
        SourceLink.objects.filter(record_id=record_id).values_list(
            "pk", "source_id", "chain_head_id"
        )[:2]
    )
    if len(links) != 1 or links[0][2] is not None:
        return
    link_id, source_id, _ = links[0]
    if SourceLink.objects.filter(source_id=source_id, chain_head__isnull=False).exists():
        return  # an earlier remix continues it; this one heads its own chain
    above = (
        SourceLink.objects.filter(record_id=source_id, chain_head__isnull=False)
        .values_list("chain_head_id", "chain_position")
        .first()
    )
    head, position = above if above is not None else (source_id, 0)
    tail = SourceLink.objects.filter(chain_head_id=record_id)
    _lock_records(tail)
    tail.update(chain_head_id=head, chain_position=F("chain_position") + position + 1)
    SourceLink.objects.filter(pk=link_id).update(chain_head_id=head, chain_position=position + 1)


def chains_rebuild(link_model: type[SourceLink] = SourceLink) -> int:
    """Set every link's chain columns from the links alone (the migration that added them,
    and the benchmark's bulk load); returns how many links continue a chain. Of a source's
    single-source remixes, the oldest (smallest id) continues its chain."""
    links = connection.ops.quote_name(link_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {links} SET chain_head_id = NULL, chain_position = NULL "  # noqa: S608
            "WHERE chain_head_id IS NOT NULL"
        )
        cursor.execute(
            f"SELECT record_id, MIN(id), MIN(source_id) FROM {links} "  # noqa: S608
            "GROUP BY record_id HAVING COUNT(*) = 1 ORDER BY record_id"
        )
        child: dict[int, tuple[int, int]] = {}  # source -> (record, link) continuing it
        for record_id, link_id, source_id in cursor.fetchall():
            child.setdefault(source_id, (record_id, link_id))
        continuing = {record_id for record_id, _ in child.values()}
        rows: list[tuple[int, int, int]] = []  # (link, head, position)
        for head in child:
            if head in continuing:
                continue  # inside a chain: its head walks it
            current, position = head, 0
            while current in child:
                current, link_id = child[current]
                position += 1
                rows.append((link_id, head, position))
        for batch in batched(rows, _BATCH):
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(
                f"WITH v(id, head, position) AS (VALUES {values}) "  # noqa: S608
                f"UPDATE {links} SET chain_head_id = v.head, chain_position = v.position "
                f"FROM v WHERE {links}.id = v.id",
                [value for row in batch for value in row],
            )
    return len(rows)


def chains_check() -> list[str]:
    """What breaks the chains' rules, as sentences (none when all is well)."""
    problems = []
    chain_links = {
        link.record_id: link
        for link in SourceLink.objects.filter(chain_head__isnull=False).only(
            "record_id", "source_id", "chain_head_id", "chain_position"
        )
    }
    link_counts: dict[int, int] = {}
    for record_id in SourceLink.objects.filter(record_id__in=list(chain_links)).values_list(
        "record_id", flat=True
    ):
        link_counts[record_id] = link_counts.get(record_id, 0) + 1
    at: dict[tuple[int | None, int | None], SourceLink] = {}
    for link in chain_links.values():
        place = (link.chain_head_id, link.chain_position)
        if place in at:
            problems.append(f"records {at[place].record_id} and {link.record_id} share {place}")
        at[place] = link
    for record_id, link in chain_links.items():
        if link_counts[record_id] != 1:
            problems.append(
                f"record {record_id} continues a chain with {link_counts[record_id]} sources"
            )
        position = link.chain_position or 0
        before = link.chain_head_id if position == 1 else None
        if position > 1:
            previous = at.get((link.chain_head_id, position - 1))
            before = previous.record_id if previous is not None else None
        if before != link.source_id:
            problems.append(
                f"record {record_id} at {link.chain_head_id}:{position} is built on "
                f"{link.source_id}, not on {before}"
            )
    return problems
