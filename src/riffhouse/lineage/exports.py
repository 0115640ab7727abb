"""The lineage of a record as JSON-LD: schema.org `CreativeWork`s linked by `isBasedOn`, and
the same graph in W3C PROV terms (`prov:wasDerivedFrom` the exact source version,
`prov:wasAttributedTo` its author), so other tools can read who made what from what."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from riffhouse.lineage.licences import LICENCES
from riffhouse.lineage.models import SourceLink
from riffhouse.lineage.selectors import node_is_visible, record_ancestors
from riffhouse.records.models import Record

MAX_NODES = 10_000  # the nearest ancestors exported; deeper ones are reachable from theirs

SCHEMA_TYPES = {
    "text": "CreativeWork",
    "image": "VisualArtwork",
    "audio": "MusicRecording",
    "video": "VideoObject",
}


def _url(request: HttpRequest, name: str, record_id: int) -> str:
    return request.build_absolute_uri(reverse(name, args=[record_id]))


def lineage_jsonld(request: HttpRequest, record: Record) -> dict[str, Any]:
    reached = record_ancestors(record_id=record.pk)[:MAX_NODES]
    ids = [record.pk, *(r.id for r in reached)]
    records = Record.objects.select_related("author", "live_version").in_bulk(ids)
    links: dict[int, list[SourceLink]] = {}
    for link in (
        SourceLink.objects.filter(record_id__in=ids)
        .select_related("source_version")
        .order_by("record_id", "position", "pk")
    ):
        links.setdefault(link.record_id, []).append(link)
    graph = []
    for record_id in ids:
        work = records.get(record_id)
        if work is None:
            continue
        url = _url(request, "records:detail", work.pk)
        author = work.author
        person: dict[str, Any] = {"@type": ["Person", "prov:Agent"], "name": "a former member"}
        if author is not None and not author.is_former:
            person["@id"] = request.build_absolute_uri(author.get_absolute_url())
            person["name"] = author.name
        node: dict[str, Any] = {
            "@id": url,
            "@type": [SCHEMA_TYPES.get(work.kind, "CreativeWork"), "prov:Entity"],
            "author": person,
            "prov:wasAttributedTo": person,
        }
        if node_is_visible(viewer=request.user, record=work):
            node["name"] = work.title
            terms = LICENCES[work.licence]
            node["license"] = terms.url or request.build_absolute_uri(
                f"{reverse('lineage:licences')}#{work.licence}"
            )
            if work.live_version is not None:
                node["version"] = work.live_version.number
            if work.published_at:
                node["datePublished"] = work.published_at.isoformat()
        else:
            node["name"] = "Removed by its author" if work.deleted_at else "No longer public"
            node["creativeWorkStatus"] = "Deleted" if work.deleted_at else "Unavailable"
        sources = links.get(work.pk, [])
        if sources:
            node["isBasedOn"] = [
                {"@id": _url(request, "records:detail", link.source_id)} for link in sources
            ]
            node["prov:wasDerivedFrom"] = [
                {
                    "@id": f"{_url(request, 'records:detail', link.source_id)}"
                    f"#version-{link.source_version.number}",
                    "@type": "prov:Entity",
                    "prov:specializationOf": {
                        "@id": _url(request, "records:detail", link.source_id)
                    },
                    "version": link.source_version.number,
                    **({"description": link.usage} if link.usage else {}),
                }
                for link in sources
            ]
        graph.append(node)
    return {
        "@context": {
            "@vocab": "https://schema.org/",
            "prov": "http://www.w3.org/ns/prov#",
        },
        "@id": _url(request, "lineage:jsonld", record.pk),
        "about": {"@id": _url(request, "records:detail", record.pk)},
        "@graph": graph,
    }
