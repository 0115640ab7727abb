"""Typed hooks: how a lower app lets the apps above it take part in its writes without
importing them (the import direction runs core <- accounts <- records <- lineage <- ...).

The lower app declares each hook in its `hooks.py` from a "spec" function (its signature is
the hook's, its docstring says when the hook runs and what it may do) and its services
call the hook by name, inside their transaction. A higher app registers its functions in
its `AppConfig.ready()`. Unlike a Django signal, a hook's callers and arguments are typed
(mypy checks both sides), and a reader of the lower app's service sees the call.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Hook[**P]:
    """An ordered list of functions with the signature of `spec`, called in the order they
    were registered. Calling the hook calls each of them with the same arguments; the
    first that raises stops the rest (and, inside a service, rolls the write back). What
    they return is ignored."""

    def __init__(self, spec: Callable[P, None]) -> None:
        self.name = spec.__name__.lstrip("_")
        self.__doc__ = spec.__doc__
        self._functions: list[Callable[P, object]] = []

    def register(self, function: Callable[P, object]) -> Callable[P, object]:
        """Add `function` (registering it twice keeps one). Usable as a decorator."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def unregister(self, function: Callable[P, object]) -> None:
        self._functions.remove(function)

    @contextmanager
    def registered(self, function: Callable[P, object]) -> Iterator[Callable[P, object]]:
        """`function` registered for the duration of a `with` block (for tests)."""
        self.register(function)
        try:
            yield function
        finally:
            self.unregister(function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for function in list(self._functions):
            function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._functions)} registered>"


class Grant[**P]:
    """A question the lower app asks the apps above ("may this viewer see it?"): calling it
    asks each registered function in turn and answers True at the first that says yes;
    False when none does (or none is registered). Unlike a `Hook`, it writes nothing and
    refuses nothing: it only widens a rule the lower app keeps."""

    def __init__(self, spec: Callable[P, bool]) -> None:
        self.name = spec.__name__.lstrip("_")
        self.__doc__ = spec.__doc__
        self._functions: list[Callable[P, bool]] = []

    def register(self, function: Callable[P, bool]) -> Callable[P, bool]:
        """Add `function` (registering it twice keeps one). Usable as a decorator."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def unregister(self, function: Callable[P, bool]) -> None:
        self._functions.remove(function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> bool:
        return any(function(*args, **kwargs) for function in list(self._functions))

    def __repr__(self) -> str:
        return f"<Grant {self.name}: {len(self._functions)} registered>"
