from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riffhouse.core.errors import ApplicationError
from riffhouse.lineage.licences import LICENCES, licence_check, remix_licences
from riffhouse.records.models import Licence

CODES = [c.value for c in Licence]

# Which licence a remix may carry (columns) given one source licence (rows): the whole table,
# written out so that any change to it is a deliberate one.
ALLOWED = {
    "cc0":         {"cc0", "cc-by", "cc-by-sa", "cc-by-nc", "cc-by-nc-sa", "riffhouse", "arr"},
    "cc-by":       {"cc-by", "cc-by-sa", "cc-by-nc", "cc-by-nc-sa", "riffhouse", "arr"},
    "cc-by-sa":    {"cc-by-sa"},
    "cc-by-nc":    {"cc-by-nc", "cc-by-nc-sa"},
    "cc-by-nc-sa": {"cc-by-nc-sa"},
    "riffhouse":   {"riffhouse"},
    "arr":         {"arr"},
}  # fmt: skip


def test_the_table_covers_every_licence() -> None:
    assert set(LICENCES) == set(CODES) == set(ALLOWED)


@pytest.mark.parametrize(("source", "remix"), list(product(CODES, CODES)))
def test_every_pair(source: str, remix: str) -> None:
    if remix in ALLOWED[source]:
        licence_check(remix=remix, sources=[source])
    else:
        with pytest.raises(ApplicationError) as err:
            licence_check(remix=remix, sources=[source])
        assert err.value.code == "incompatible_licence"
        assert LICENCES[source].name in err.value.detail


@pytest.mark.parametrize(("first", "second"), list(product(CODES, CODES)))
def test_every_pair_of_sources_proposes_the_most_permissive_common_licence(
    first: str, second: str
) -> None:
    common = ALLOWED[first] & ALLOWED[second]
    proposed = remix_licences([first, second])
    assert set(proposed) == common
    if not common:
        with pytest.raises(ApplicationError) as err:
            licence_check(remix=first, sources=[first, second])
        assert err.value.code == "incompatible_licences"


def test_strictest_terms_carry_over() -> None:
    assert remix_licences(["cc0", "cc-by"])[0] == "cc-by"
    assert remix_licences(["cc-by", "cc-by-nc"])[0] == "cc-by-nc"
    assert remix_licences(["cc-by-sa", "cc-by-nc"]) == []
    assert remix_licences([])[0] == "cc0"


@given(st.lists(st.sampled_from(CODES), max_size=6), st.sampled_from(CODES))
def test_adding_a_source_never_widens_the_choice(sources: list[str], extra: str) -> None:
    before = set(remix_licences(sources))
    after = set(remix_licences([*sources, extra]))
    assert after <= before
    for code in after:
        assert all(code in ALLOWED[s] for s in [*sources, extra])
