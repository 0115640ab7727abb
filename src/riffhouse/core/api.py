"""What every app's API module shares: the error shape and the responses that document it.
The NinjaAPI instance and its error handlers live in `riffhouse.api`, which nothing imports;
authentication lives with the tokens, in `riffhouse.accounts.auth`."""

from ninja import Schema


# Every refusal: a message a person can act on and a stable code for programs. (A comment,
# not a docstring: the docstring would become the schema's description.)
class ErrorOut(Schema):
    detail: str
    code: str


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The `response=` entries documenting the error statuses an operation may answer."""
    return dict.fromkeys(statuses, ErrorOut)
