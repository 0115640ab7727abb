"""The floor's one view: a small fixed answer."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

BODY = b"<!doctype html><title>floor</title><p>The floor of the pages benchmark.</p>\n"


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY)


urlpatterns = [path("", floor)]
