"""django-ninja answers a method a path does not take with a plain-text 405, outside its
exception handlers; this gives it the API's one error format like every other refusal."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse


class MethodNotAllowedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow", "")
            json_response = JsonResponse(
                {
                    "detail": f"{request.method} is not allowed here (allowed: {allowed}).",
                    "code": "method_not_allowed",
                },
                status=405,
            )
            json_response["Allow"] = allowed
            return json_response
        return response
