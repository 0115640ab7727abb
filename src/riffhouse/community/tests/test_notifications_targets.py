"""The registry for generic notification targets (`target_type` + `target_id`): the app
that owns the rows registers a loader; a page of notifications calls it once per type."""

from typing import Any

import pytest

from riffhouse.accounts.models import User
from riffhouse.community import selectors
from riffhouse.community.notify import notify
from riffhouse.community.targets import (
    Target,
    target_labels,
    target_register,
    target_unregister,
    targets_load,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered() -> Any:
    calls: dict[str, list[list[int]]] = {"a": [], "b": []}

    def loader(label: str) -> Any:
        def load(ids: Any) -> dict[int, Target]:
            calls[label].append(sorted(ids))
            # Row 404 was deleted: the loader does not return it.
            return {
                pk: Target(title=f"{label}{pk}", url=f"/{label}/{pk}/") for pk in ids if pk != 404
            }

        return load

    target_register("test.a", loader=loader("a"))
    target_register("test.b", loader=loader("b"))
    yield calls
    target_unregister("test.a")
    target_unregister("test.b")


def test_one_loader_call_per_type_for_a_page(user: User, ana: User, registered: Any) -> None:
    assert {"test.a", "test.b"} <= set(target_labels())
    for label, pk in [("test.a", 1), ("test.a", 2), ("test.b", 3), ("test.a", 404), ("", None)]:
        notify(
            recipient_ids=[user.pk],
            actor_id=ana.pk,
            verb="money_paid",
            target_type=label,
            target_id=pk,
        )
    page = selectors.notification_list(user=user)
    assert registered == {"a": [[1, 2, 404]], "b": [[3]]}
    by_id = {n.target_id: page.targets.get(n.pk) for n in page.items}
    assert by_id[1] == Target(title="a1", url="/a/1/")
    assert by_id[3] == Target(title="b3", url="/b/3/")
    assert by_id[404] is None and by_id[None] is None  # gone, and no target at all
    paid = next(n for n in page.items if n.target_id == 3)
    assert page.urls[paid.pk] == "/b/3/"


def test_no_target_no_call(registered: Any) -> None:
    assert targets_load(notifications=[]) == {}
    assert registered == {"a": [], "b": []}


def test_an_empty_label_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        target_register("", loader=lambda ids: {})
