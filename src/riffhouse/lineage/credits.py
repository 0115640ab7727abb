"""The one weighting: how a record's weight divides among everyone whose work it stands on.

The rule (decision 0024): a record's author keeps `1 - source_share` of the record's weight
when it has sources (all of it when it has none); the rest flows to its sources, equally
split among them, and each source divides what it receives by the same rule, recursively
up the lineage. What reaches a record reached by several paths (a diamond) is the sum of
what each path brings. Shares are merged per author (None for a record whose author's row
is gone); tombstoned (deleted) and unpublished records keep their credit: the lineage is
what it is. The shares of every record sum to exactly 1.

The fairness report (productions.fairness) and, later, the ledger's split proposal both
read this module, so what the report says about who holds the show and what the split pays
can never disagree.

Exactness without the cost of `Fraction` arithmetic on deep lineages: every share is an
integer numerator over one common denominator `D`. With `a/b` the source share in lowest
terms, each record with `k` sources passes `a / (b * k)` of what reaches it to each source,
so what reaches a record along one path is `a**n / (b**n * k1 * ... * kn)`. `D` is the
least common multiple of those path denominators (per prime, the most any path needs; see
`_denominator`), so every division in the walk is exact: the walk is integer additions and
one multiplication and division per record. Fractions are made once per contributor at the
end (`RecordCredits.shares`), and only when asked.

One query reads every link reachable from all the roots at once (a recursive CTE from the
roots, with each record's author, kind and the usage note of each link); the propagation
runs in Python, per root, in topological order.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db import connection

from riffhouse.lineage.models import SourceLink
from riffhouse.lineage.selectors import KIND_ROLES, MAX_ROLES
from riffhouse.records.models import Record

# Every record reachable from the roots, with its author and kind, and each link out of it
# (a record without sources gives one row with NULL link columns).
_REACH_SQL = """
WITH RECURSIVE reach(id) AS (
    SELECT id FROM {records} WHERE id IN ({roots})
    UNION
    SELECT l.source_id FROM reach JOIN {links} l ON l.record_id = reach.id
)
SELECT r.id, r.author_id, r.kind, l.source_id, l.usage
FROM reach
JOIN {records} r ON r.id = reach.id
LEFT JOIN {links} l ON l.record_id = reach.id
"""


@dataclass
class RecordCredits:
    """How one record's weight divides: `numerators[author] / denominator` (the denominator
    is shared by every record of one call), each contributor's roles (usage notes of the
    links to their works, else the kind of work) and closeness (0: the record's own author;
    otherwise the fewest links to their nearest work)."""

    record_id: int
    author_id: int | None
    denominator: int
    numerators: dict[int | None, int] = field(default_factory=dict)
    roles: dict[int | None, list[str]] = field(default_factory=dict)
    closeness: dict[int | None, int] = field(default_factory=dict)

    @property
    def shares(self) -> dict[int | None, Fraction]:
        """The exact shares, summing to 1."""
        return {a: Fraction(n, self.denominator) for a, n in self.numerators.items() if n}


@dataclass(slots=True)
class _Node:
    author_id: int | None
    kind: str
    sources: list[int] = field(default_factory=list)
    usages: list[str] = field(default_factory=list)  # per source, same order


def _graph(record_ids: list[int]) -> dict[int, _Node]:
    nodes: dict[int, _Node] = {}
    if not record_ids:
        return nodes
    sql = _REACH_SQL.format(
        records=connection.ops.quote_name(Record._meta.db_table),
        links=connection.ops.quote_name(SourceLink._meta.db_table),
        roots=", ".join(["%s"] * len(record_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, record_ids)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    for record_id, author_id, kind, source_id, usage in rows:
        node = nodes.get(record_id)
        if node is None:
            node = nodes[record_id] = _Node(author_id, kind)
        if source_id is not None:
            node.sources.append(source_id)
            node.usages.append(usage or "")
    for node in nodes.values():  # deterministic, whatever order the database answered in
        if len(node.sources) > 1:
            pairs = sorted(zip(node.sources, node.usages, strict=True))
            node.sources = [s for s, _ in pairs]
            node.usages = [u for _, u in pairs]
    return nodes


def _order(root: int, nodes: dict[int, _Node]) -> list[int]:
    """The records `root` stands on (itself first), each after every record of its lineage
    that is built on it: a reverse post-order of a depth-first walk. (Lineage refuses
    cycles; a link that would close one is ignored rather than looped on.)"""
    post: list[int] = []
    state: dict[int, int] = {root: 1}  # 1: on the walk's stack, 2: done
    stack: list[tuple[int, int]] = [(root, 0)]
    while stack:
        node_id, i = stack[-1]
        sources = nodes[node_id].sources
        if i < len(sources):
            stack[-1] = (node_id, i + 1)
            nxt = sources[i]
            if nxt in nodes and nxt not in state:
                state[nxt] = 1
                stack.append((nxt, 0))
            continue
        stack.pop()
        state[node_id] = 2
        post.append(node_id)
    post.reverse()
    return post


def _reach(root: int, nodes: dict[int, _Node]) -> set[int]:
    """`root` and every record it stands on."""
    seen = {root}
    stack = [root]
    while stack:
        for source_id in nodes[stack.pop()].sources:
            if source_id not in seen and source_id in nodes:
                seen.add(source_id)
                stack.append(source_id)
    return seen


def _prime_exponents(n: int) -> dict[int, int]:
    found: dict[int, int] = {}
    p = 2
    while p * p <= n:
        while n % p == 0:
            found[p] = found.get(p, 0) + 1
            n //= p
        p += 1
    if n > 1:
        found[n] = found.get(n, 0) + 1
    return found


def _denominator(order: list[int], nodes: dict[int, _Node], b: int) -> int:
    """The least common multiple of what any path's shares can be divided by: per prime,
    the most it divides `b` times the fan-outs along a path from a root (a longest path,
    one walk of the union of the lineages in topological order (`order`) per prime).
    `b ** H * lcm(fan-outs) ** H` would do as well, but can be many times longer on deep,
    bushy lineages, and every step of the propagation pays for the digits."""
    of_b = _prime_exponents(b)
    of_k = {k: _prime_exponents(k) for k in {len(n.sources) for n in nodes.values() if n.sources}}
    primes = sorted(set(of_b).union(*(set(e) for e in of_k.values())))
    # The walks index lists by position in `order` (cheaper than a dict per step): each
    # record with sources, its fan-out and its sources' positions.
    at = {node_id: i for i, node_id in enumerate(order)}
    walk = [
        (i, len(sources), [at[s] for s in sources])
        for i, node_id in enumerate(order)
        if (sources := nodes[node_id].sources)
    ]
    denominator = 1
    for p in primes:
        step_b = of_b.get(p, 0)
        steps = {k: step_b + e.get(p, 0) for k, e in of_k.items()}
        reached = [0] * len(order)
        most = 0
        for i, fan_out, sources_at in walk:
            here = reached[i] + steps[fan_out]
            if here > most:
                most = here
            for j in sources_at:
                if reached[j] < here:
                    reached[j] = here
        denominator *= p**most
    return denominator


def _order_all(roots: list[int], nodes: dict[int, _Node]) -> list[int]:
    """Every record reached from the roots, each after every reached record built on it."""
    post: list[int] = []
    seen: set[int] = set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack: list[tuple[int, int]] = [(root, 0)]
        while stack:
            node_id, i = stack[-1]
            sources = nodes[node_id].sources
            if i < len(sources):
                stack[-1] = (node_id, i + 1)
                nxt = sources[i]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, 0))
                continue
            stack.pop()
            post.append(node_id)
    post.reverse()
    return post


def record_credit_lineages(
    *, record_ids: Iterable[int], source_share: Fraction, with_roles: bool = True
) -> dict[int, RecordCredits]:
    """Each record's credits (see the module's docstring), with one common denominator.
    Records that do not exist are left out. One query. `with_roles=False` skips the roles
    and closeness (the shares alone: what the fairness report needs, faster)."""
    if not 0 <= source_share <= 1:
        raise ValueError("the source share is between 0 and 1")
    roots = sorted(set(record_ids))
    nodes = _graph(roots)
    roots = [r for r in roots if r in nodes]
    everything = _order_all(roots, nodes)
    a, b = source_share.numerator, source_share.denominator
    denominator = _denominator(everything, nodes, b)
    keep_num = b - a  # the author keeps flow * (b - a) / b
    at = {node_id: i for i, node_id in enumerate(everything)}
    result = {}
    for root in roots:
        credits = RecordCredits(root, nodes[root].author_id, denominator)
        numerators = credits.numerators
        flow: dict[int, int] = {root: denominator}
        # The records this root stands on, in the order of the whole walk: still each after
        # every record built on it, so what flows into a record has arrived when it is
        # reached (and the sums are the same in any such order).
        for node_id in sorted(_reach(root, nodes), key=at.__getitem__):
            node = nodes[node_id]
            amount = flow.pop(node_id, 0)
            sources = node.sources
            if sources and amount:
                kept = amount * keep_num // b
                passed = (amount - kept) // len(sources)
                if passed:
                    for source_id in sources:
                        flow[source_id] = flow.get(source_id, 0) + passed
            else:
                kept = amount
            numerators[node.author_id] = numerators.get(node.author_id, 0) + kept
        if with_roles:
            _roles(credits, _order(root, nodes), nodes)
        result[root] = credits
    return result


def _roles(credits: RecordCredits, order: list[int], nodes: dict[int, _Node]) -> None:
    """Each contributor's roles and closeness in one record's lineage (`order` from
    `_order`): the usage notes of the links to their works, else the kinds of work; the
    fewest links to their nearest work."""
    roles, closeness = credits.roles, credits.closeness
    near: dict[int, int] = {order[0]: 0}
    usages: dict[int, list[str]] = {}
    for node_id in order:
        node = nodes[node_id]
        author = node.author_id
        dist = near[node_id]
        for source_id, usage in zip(node.sources, node.usages, strict=True):
            if near.get(source_id, dist + 2) > dist + 1:
                near[source_id] = dist + 1
            if usage:
                noted = usages.setdefault(source_id, [])
                if usage not in noted:
                    noted.append(usage)
        if author not in closeness or closeness[author] > dist:
            closeness[author] = dist
        held = roles.setdefault(author, [])
        for role in usages.get(node_id) or (KIND_ROLES.get(node.kind, node.kind),):
            if len(held) < MAX_ROLES and role not in held:
                held.append(role)


def record_credit_shares(
    *, record_ids: Iterable[int], source_share: Fraction
) -> dict[int, dict[int | None, Fraction]]:
    """For each record, how its weight 1 divides among its contributors (merged per author,
    None for a former member), exactly: the values of each record sum to 1."""
    return {
        record_id: credits.shares
        for record_id, credits in record_credit_lineages(
            record_ids=record_ids, source_share=source_share
        ).items()
    }
