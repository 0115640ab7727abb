"""The site's URLs plus a stand-in for H1's production page (`productions:detail`) while
this branch runs without it; `conftest.py` switches to it only when the name is missing,
so once the pages land this module is unused (the lead deletes it at merge)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from riffhouse import urls as site
from riffhouse.productions import urls as productions


def _stand_in(request: HttpRequest, production_id: int) -> HttpResponse:
    return HttpResponse(f"production {production_id}")


_patterns: list[URLPattern | URLResolver] = [
    *productions.urlpatterns,
    path("productions/<int:production_id>/", _stand_in, name="detail"),
]
urlpatterns = [
    path("", include((_patterns, "productions"))),
    *[p for p in site.urlpatterns if getattr(p, "app_name", None) != "productions"],
]
handler400 = site.handler400
handler404 = site.handler404
handler500 = site.handler500
