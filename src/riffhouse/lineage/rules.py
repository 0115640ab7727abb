"""The remix rules, checked before anything is saved: what a list of sources may say, what
each source must be (there, visible to the remixer, not deleted, not closed to remixes; its
own author may always build on it), which need their author's approval, which licences a
remix may take, and what a message may hold. `lineage.services` writes the links and
requests once these pass."""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from riffhouse.accounts.models import User
from riffhouse.accounts.selectors import block_between
from riffhouse.core.errors import ApplicationError
from riffhouse.core.text import json_problem
from riffhouse.lineage.licences import LICENCES, LicenceTerms, remix_licences
from riffhouse.lineage.models import RemixRequest
from riffhouse.records import services as record_services
from riffhouse.records.hooks import SourceSpec as SourceSpec  # where remixers name it
from riffhouse.records.models import (
    Kind,
    ProcessingStatus,
    Record,
    RecordVersion,
    RemixPolicy,
)
from riffhouse.records.selectors import record_check_remixable

MAX_SOURCES = 20
USAGE_MAX = 80
NOTE_MAX = 2000
# How many times a remixer may ask one source's author about one remix: once, and once more
# with a new message after a decline. The second decline is final (decision 0017).
MAX_ASKS = 2


def remix_request_may_ask_again(*, remix_request: RemixRequest) -> bool:
    """Whether the remixer may still ask again: declined, not yet twice, and the remix is not
    deleted (the page's "Ask again" and the API's `may_ask_again`)."""
    return (
        remix_request.status == RemixRequest.Status.DECLINED
        and remix_request.times_asked < MAX_ASKS
        and remix_request.remix.deleted_at is None
    )


@dataclass(frozen=True)
class Resolved:
    spec: SourceSpec
    source: Record
    version: RecordVersion
    needs_request: bool


def sources_error(detail: str, code: str, status: int = 400) -> ApplicationError:
    return ApplicationError(detail, code=code, status=status, field="sources")


def _int(value: Any, what: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise sources_error(f"The {what} of a source must be a whole number.", "invalid_sources")
    try:
        number = int(value)
    except ValueError:
        raise sources_error(
            f"The {what} of a source must be a whole number.", "invalid_sources"
        ) from None
    if number < 0 or number > 2**31 - 1:
        raise sources_error(f"The {what} of a source is out of range.", "invalid_sources")
    return number


def sources_parse(*, raw: str | Sequence[Any] | None) -> list[SourceSpec]:
    """Sources from the API's JSON (a list of `{"record", "version"?, "usage"?, "start_ms"?,
    "end_ms"?}` or of bare record ids), as a string (multipart forms) or already decoded."""
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nested ~10,000 levels deep
            raise sources_error(
                'Sources must be a JSON list such as [{"record": 12, "usage": "melody"}].',
                "invalid_sources",
            ) from None
        # A form field's JSON is text inside text: the request-wide check (core/text.py) saw
        # only its escapes, so its decoded strings are checked here.
        problem = json_problem(raw)
        if problem:
            raise sources_error(f"The sources' JSON {problem[0]}.", "invalid_sources")
    if not isinstance(raw, list | tuple):
        raise sources_error("Sources must be a list.", "invalid_sources")
    specs: list[SourceSpec] = []
    for item in raw:
        if not isinstance(item, dict):
            item = {"record": item}
        record_id = _int(item.get("record"), "record id")
        if record_id is None:
            raise sources_error("Each source needs a record id.", "invalid_sources")
        usage = item.get("usage") or ""
        if not isinstance(usage, str):
            raise sources_error("A source's usage must be text.", "invalid_sources")
        specs.append(
            SourceSpec(
                record_id=record_id,
                version=_int(item.get("version"), "version"),
                usage=usage,
                start_ms=_int(item.get("start_ms"), "start"),
                end_ms=_int(item.get("end_ms"), "end"),
            )
        )
    return specs


def _check_usage(usage: str) -> str:
    usage = " ".join(usage.split())
    if len(usage) > USAGE_MAX:
        raise sources_error(
            f"Describe what you used in at most {USAGE_MAX} characters.", "usage_too_long"
        )
    return usage


def _check_range(spec: SourceSpec, source: Record, version: RecordVersion) -> None:
    if spec.start_ms is None and spec.end_ms is None:
        return
    if source.kind not in {Kind.AUDIO, Kind.VIDEO}:
        raise sources_error(
            f"“{source.title}” is not music or film: a time range does not apply.",
            "invalid_range",
        )
    start, end = spec.start_ms or 0, spec.end_ms
    duration = version.metadata.get("duration") if isinstance(version.metadata, dict) else None
    if end is not None and end <= start:
        raise sources_error("A time range must end after it starts.", "invalid_range")
    if duration is not None and (end or start) > round(float(duration) * 1000) + 1:
        raise sources_error(
            f"“{source.title}” is only {float(duration):.0f} seconds long.", "invalid_range"
        )


def remix_needs_approval(*, source: Record, remixer_id: int | None) -> bool:
    """Whether remixing `source` needs its author's approval: they ask first, or its licence
    needs permission ("all rights reserved"). Never for the author's own work."""
    if source.author_id is not None and source.author_id == remixer_id:
        return False
    return source.remix_policy == RemixPolicy.ASK or LICENCES[source.licence].needs_permission


def sources_resolve(
    *, actor: User, specs: Sequence[SourceSpec], remix: Record | None = None
) -> list[Resolved]:
    """Check each named source and lock its row (until the transaction ends), so a source
    cannot be deleted, closed or hidden between the check and the link."""
    if len(specs) > MAX_SOURCES:
        raise sources_error(f"A record can have at most {MAX_SOURCES} sources.", "too_many")
    ids = [s.record_id for s in specs]
    if remix is not None and remix.pk in ids:
        raise sources_error("A record cannot be its own source.", "self_source")
    seen: set[int] = set()
    for record_id in ids:
        if record_id in seen:
            raise sources_error(
                f"Record {record_id} is listed twice: name each source once.", "duplicate_source"
            )
        seen.add(record_id)
    locked = record_services.records_get_locked(record_ids=ids)
    versions = {
        (v.record_id, v.number): v
        for v in RecordVersion.objects.filter(
            record_id__in=ids, number__in=[s.version for s in specs if s.version]
        )
    }
    resolved = []
    for spec in specs:
        source = locked.get(spec.record_id)
        own = source is not None and source.author_id == actor.pk
        once_public = source is not None and source.deleted_at and source.published_at
        if source is None or not (source.is_public or own or once_public):
            raise sources_error(
                f"There is no record {spec.record_id} you can build on.", "source_not_found", 404
            )
        record_check_remixable(viewer=actor, record=source, field="sources")
        if spec.version is not None:
            version = versions.get((source.pk, spec.version))
            if version is None or (not own and version.status != ProcessingStatus.READY):
                raise sources_error(
                    f"“{source.title}” has no version {spec.version}.", "source_version_not_found"
                )
        else:
            version = (
                source.current_version
                if own
                and source.current_version
                and source.current_version.status == ProcessingStatus.READY
                else source.live_version
            )
            if version is None:
                raise sources_error(
                    f"“{source.title}” is still being processed: try again in a moment.",
                    "source_not_ready",
                )
        if version.status != ProcessingStatus.READY:
            raise sources_error(
                f"Version {version.number} of “{source.title}” is not ready.", "source_not_ready"
            )
        _check_range(spec, source, version)
        needs_request = remix_needs_approval(source=source, remixer_id=actor.pk)
        if needs_request and block_between(user_id=actor.pk, other_id=source.author_id):
            # Asking would reach a member who blocked the remixer (or whom they blocked).
            raise sources_error(
                f"You cannot ask to remix “{source.title}”: one of you blocked the other.",
                "blocked",
                403,
            )
        resolved.append(
            Resolved(
                spec=SourceSpec(
                    record_id=spec.record_id,
                    version=version.number,
                    usage=_check_usage(spec.usage),
                    start_ms=spec.start_ms,
                    end_ms=spec.end_ms,
                ),
                source=source,
                version=version,
                needs_request=needs_request,
            )
        )
    return resolved


def proposed_licence(*, sources: Iterable[Record]) -> str | None:
    """The licence the remix form proposes: the most permissive one every source allows."""
    possible = remix_licences(s.licence for s in sources)
    return possible[0] if possible else None


@dataclass(frozen=True)
class LicenceOptions:
    """What the remix form offers for a set of sources: the licences every source allows
    (most permissive first; all of them for no source), the one proposed, and why the choice
    is narrowed ("" when it is not)."""

    codes: list[str]
    proposed: str | None
    reason: str


def _licence_duty(terms: LicenceTerms) -> str:
    """What a licence asks of remixes, from its terms (one phrase per term, not per licence)."""
    if terms.needs_permission:
        return "needs its author’s permission and stays all rights reserved"
    duties = []
    if terms.share_alike:
        duties.append("be shared alike, under the same licence")
    if terms.non_commercial:
        duties.append("stay non-commercial")
    if not duties:  # attribution alone
        duties.append("credit it, so it cannot be given to the public domain")
    return "must " + " and ".join(duties)


def licence_options(*, sources: Sequence[Record]) -> LicenceOptions:
    """The licence choices of a remix of `sources`, with the reason in words: each source
    that narrows them is named with its licence and what that asks of a remix."""
    codes = remix_licences(s.licence for s in sources)
    if sources and not codes:
        names = " and ".join(sorted({LICENCES[s.licence].name for s in sources}))
        return LicenceOptions(
            remix_licences([]),
            None,
            f"These sources cannot be combined: {names} ask for incompatible terms. "
            "Remove one of them.",
        )
    titles: dict[str, list[str]] = {}
    for source in sources:
        if len(LICENCES[source.licence].allows) < len(LICENCES):  # it narrows the choice
            titles.setdefault(source.licence, []).append(f"“{source.title}”")
    reasons = []
    for code, named in titles.items():
        terms = LICENCES[code]
        if len(named) > 3:
            named = [*named[:2], f"{len(named) - 2} more"]
        who = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
        verb = "is" if len(named) == 1 else "are"
        reasons.append(f"Because {who} {verb} {terms.name}, your remix {_licence_duty(terms)}.")
    return LicenceOptions(codes, codes[0] if codes else None, " ".join(reasons))


def message_check(message: str) -> str:
    if len(message) > NOTE_MAX:
        raise ApplicationError(
            f"Keep the message under {NOTE_MAX:,} characters.", code="too_long", field="message"
        )
    return message.strip()
