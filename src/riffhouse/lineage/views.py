"""Lineage pages. Today: the licence table, so anyone can see what each licence permits."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from riffhouse.lineage.licences import LICENCES, PERMISSIVENESS


@require_safe
def licence_list(request: HttpRequest) -> HttpResponse:
    licences = [LICENCES[code] for code in PERMISSIVENESS]
    rows = [
        (terms, [LICENCES[c] for c in PERMISSIVENESS if c in terms.allows]) for terms in licences
    ]
    return render(request, "lineage/licences.html", {"rows": rows})
