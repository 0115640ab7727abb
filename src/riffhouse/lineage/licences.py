"""The licences a record can carry, what each permits, and which licences a remix may carry.

One small, exhaustive table (every `records.models.Licence`). A remix must carry a licence
that every one of its sources allows: the strictest terms carry over. `remix_licences` says
which those are, most permissive first; the first is what the remix form proposes.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from riffhouse.core.errors import ApplicationError
from riffhouse.records.models import Licence


@dataclass(frozen=True)
class LicenceTerms:
    code: str
    name: str
    url: str
    summary: str
    attribution: bool  # remixes must credit the source (Riffhouse always does)
    share_alike: bool  # remixes must carry the same licence
    non_commercial: bool  # no commercial use (outside Riffhouse productions, for ours)
    needs_permission: bool  # no remix at all without the author's explicit approval
    allows: frozenset[str]  # the licences a remix of this work may carry


_EVERY = frozenset(Licence.values)

LICENCES: dict[str, LicenceTerms] = {
    Licence.CC0: LicenceTerms(
        Licence.CC0,
        "CC0 1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "No rights reserved: anyone may use it for anything.",
        attribution=False,
        share_alike=False,
        non_commercial=False,
        needs_permission=False,
        allows=_EVERY,
    ),
    Licence.CC_BY: LicenceTerms(
        Licence.CC_BY,
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "Anyone may remix and use it, commercially too, with credit.",
        attribution=True,
        share_alike=False,
        non_commercial=False,
        needs_permission=False,
        allows=_EVERY - {Licence.CC0},
    ),
    Licence.CC_BY_SA: LicenceTerms(
        Licence.CC_BY_SA,
        "CC BY-SA 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "Anyone may remix and use it with credit; remixes carry the same licence.",
        attribution=True,
        share_alike=True,
        non_commercial=False,
        needs_permission=False,
        allows=frozenset({Licence.CC_BY_SA}),
    ),
    Licence.CC_BY_NC: LicenceTerms(
        Licence.CC_BY_NC,
        "CC BY-NC 4.0",
        "https://creativecommons.org/licenses/by-nc/4.0/",
        "Anyone may remix it with credit, but not for commercial use.",
        attribution=True,
        share_alike=False,
        non_commercial=True,
        needs_permission=False,
        allows=frozenset({Licence.CC_BY_NC, Licence.CC_BY_NC_SA}),
    ),
    Licence.CC_BY_NC_SA: LicenceTerms(
        Licence.CC_BY_NC_SA,
        "CC BY-NC-SA 4.0",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        "Remix with credit, not commercially; remixes carry the same licence.",
        attribution=True,
        share_alike=True,
        non_commercial=True,
        needs_permission=False,
        allows=frozenset({Licence.CC_BY_NC_SA}),
    ),
    Licence.RIFFHOUSE: LicenceTerms(
        Licence.RIFFHOUSE,
        "Riffhouse licence",
        "",
        "Remix it on Riffhouse with credit; money it earns is shared through Riffhouse "
        "productions. Remixes carry the same licence.",
        attribution=True,
        share_alike=True,
        non_commercial=True,
        needs_permission=False,
        allows=frozenset({Licence.RIFFHOUSE}),
    ),
    Licence.ALL_RIGHTS_RESERVED: LicenceTerms(
        Licence.ALL_RIGHTS_RESERVED,
        "All rights reserved",
        "",
        "Nobody may remix it without the author’s permission; remixes stay all rights reserved.",
        attribution=True,
        share_alike=True,
        non_commercial=True,
        needs_permission=True,
        allows=frozenset({Licence.ALL_RIGHTS_RESERVED}),
    ),
}

# From the most permissive to the strictest: the order in which licences are proposed.
PERMISSIVENESS = [
    Licence.CC0,
    Licence.CC_BY,
    Licence.CC_BY_SA,
    Licence.RIFFHOUSE,
    Licence.CC_BY_NC,
    Licence.CC_BY_NC_SA,
    Licence.ALL_RIGHTS_RESERVED,
]


def remix_licences(sources: Iterable[str]) -> list[str]:
    """Licences a remix of works under `sources` may carry, most permissive first. Empty
    when the sources' terms cannot be combined (say, BY-SA with BY-NC)."""
    allowed = set(_EVERY)
    for code in sources:
        allowed &= LICENCES[code].allows
    return [code for code in PERMISSIVENESS if code in allowed]


def licence_check(*, remix: str, sources: Iterable[str]) -> None:
    """Refuse a remix licence that one of the sources does not allow, saying which."""
    codes = list(sources)
    possible = remix_licences(codes)
    if not possible:
        names = ", ".join(sorted({LICENCES[c].name for c in codes}))
        raise ApplicationError(
            f"These sources cannot be combined: their licences ({names}) ask for "
            "incompatible terms.",
            code="incompatible_licences",
            field="licence",
        )
    if remix not in possible:
        blocking = sorted({LICENCES[c].name for c in codes if remix not in LICENCES[c].allows})
        raise ApplicationError(
            f"A remix of work under {', '.join(blocking)} cannot be released under "
            f"{LICENCES[remix].name}. Use {LICENCES[possible[0]].name}"
            + (
                f" (or {', '.join(LICENCES[c].name for c in possible[1:])})."
                if len(possible) > 1
                else "."
            ),
            code="incompatible_licence",
            field="licence",
        )
