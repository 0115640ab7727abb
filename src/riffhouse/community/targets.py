"""The registry for notifications' generic targets (decision 0030): rows of apps that land
after community or sit above it (the ledger's allocations and payouts, moderation's
appeals) are named by `Notification.target_type` (a label such as "ledger.payout") and
`target_id`. The app that owns the rows registers a loader in its `AppConfig.ready()`;
community shows each target's title and link without importing that app.

    target_register("ledger.payout", loader=payout_targets)

A loader takes the ids of one label and returns what it can show of each, in one query:
`{id: Target(title=..., url=...)}`. Ids it leaves out (deleted rows) read as "gone".
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from riffhouse.community.models import Notification


@dataclass(frozen=True)
class Target:
    title: str
    url: str


type Loader = Callable[[Collection[int]], dict[int, Target]]

_loaders: dict[str, Loader] = {}


def target_register(label: str, *, loader: Loader) -> None:
    """Show notifications targeting `label` rows through `loader` (registering a label again
    replaces its loader)."""
    if not label:
        raise ValueError("a target label must not be empty")
    _loaders[label] = loader


def target_unregister(label: str) -> None:
    _loaders.pop(label, None)


def target_labels() -> list[str]:
    return sorted(_loaders)


def targets_load(*, notifications: Sequence[Notification]) -> dict[int, Target]:
    """Each notification's generic target, by notification id: one loader call (one query)
    per label present, none when no notification has one. Labels nobody registered, and
    rows their loader did not return, are left out."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for n in notifications:
        if n.target_type and n.target_id is not None and n.target_type in _loaders:
            wanted[n.target_type].add(n.target_id)
    loaded = {label: _loaders[label](ids) for label, ids in wanted.items()}
    found: dict[int, Target] = {}
    for n in notifications:
        target = loaded.get(n.target_type, {}).get(n.target_id or 0)
        if target is not None:
            found[n.pk] = target
    return found
