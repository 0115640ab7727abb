"""Small request helpers shared by views and the API."""

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it: `request.htmx` is truthy when htmx
    sent it (views answer those with a template partial)."""

    htmx: HtmxDetails


def client_ip(request: HttpRequest) -> str:
    """The address a request came from.

    Behind N reverse proxies (`TRUSTED_PROXY_COUNT=N`), it is the address the outermost
    trusted proxy saw: the Nth entry from the right of X-Forwarded-For. Entries further left
    are written by the client and could be forged, so they are never used. Without proxies
    REMOTE_ADDR is the answer.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR") or "unknown")
