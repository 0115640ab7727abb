"""Small request helpers shared by views and the API."""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address a request came from. Behind a proxy, set `TRUSTED_PROXY_COUNT` (later) —
    until then REMOTE_ADDR is the only value that cannot be forged by the client."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")
