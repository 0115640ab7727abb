"""Turn a service's refusal that escapes a page view into the right error page, so a view
never has to catch NotFound just to answer 404. (The API has its own handlers.)"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from riffhouse.core.errors import ApplicationError, NotFound


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            from riffhouse.core.views import page_not_found

            return page_not_found(request, exception)
        if isinstance(exception, ApplicationError):
            return render(request, "error.html", {"error": exception}, status=exception.status)
        return None
