"""Run a function on files strangers sent us in a child process with limits.

Decoders (FFmpeg, Pillow) are where hostile files do their harm: a small file can declare a
huge picture, a damaged one can make a decoder spin. So work on them runs in a separate
process (from a fork server, so the caller's threads and connections are never copied) with
a cap on its address space and on wall-clock time: a hostile or huge file fails its own
call, never the web or job worker that made it, and the memory the child took goes back to
the system when it exits. This module imports no Django code, so children start fast.

A child dies with the process that asked for it, so no decode runs on, unsupervised, for a
request or job already abandoned. The fork server is the children's parent, not the caller,
and stays up while any child lives (each child holds its "alive" pipe), so neither waiting
for it to exit nor PR_SET_PDEATHSIG would help: the caller instead holds the only write end
of a lifeline pipe whose read end the child watches, and the kernel closes it when the caller
dies.
"""

import contextlib
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from typing import Any


class Refusal(Exception):
    """A file the work will not take: `reason` is a sentence for the person who sent it,
    `code` is for programs. Raised in the child, raised again (as the same class) in the
    caller."""

    def __init__(self, reason: str, *, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class OverTime(Exception):
    """The child ran past its time limit and was stopped."""


class OverMemory(Exception):
    """The child ran out of its memory cap (or died without a word, which is how a child
    killed for memory ends)."""


_PRELOAD: set[str] = set()


def isolation_preload(*, modules: Iterable[str]) -> None:
    """Have this process's fork server import `modules` (the work's module and the decoders
    it loads) once, so that each child starts with them loaded rather than importing them
    again — about a third of a second a child for PyAV, Pillow and numpy. What they map
    counts against every child's memory cap, so preload only in a process whose children
    all load them anyway (the demo: records' sandbox). The modules must import no Django
    code. Takes effect when called before the process's first `run_isolated`; the work runs
    the same either way."""
    _PRELOAD.update(modules)
    multiprocessing.get_context("forkserver").set_forkserver_preload(sorted(_PRELOAD))


def _die_with_caller(lifeline: Connection) -> None:
    """Kill this child as soon as the lifeline reads end-of-file: the caller is gone."""

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv_bytes()
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()


def _child(
    conn: Connection,
    memory_bytes: int,
    lifeline: Connection,
    work: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    _die_with_caller(lifeline)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        conn.send(("ok", work(*args, **kwargs)))
    except Refusal as refusal:
        conn.send(("refused", type(refusal), refusal.reason, refusal.code))
    except MemoryError:
        conn.send(("memory",))
    except BaseException as error:  # reported to the caller as a RuntimeError
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def run_isolated(
    work: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any] | None = None,
    *,
    memory_bytes: int,
    timeout: float,
) -> Any:
    """`work(*args, **kwargs)` in a child process limited to `memory_bytes` of address space and
    `timeout` seconds, returning what it returns. `work` is a module-level function (it is
    sent by name). A `Refusal` it raises is raised again here; otherwise raises `OverTime`,
    `OverMemory`, or RuntimeError for anything else that went wrong in the child."""
    context = multiprocessing.get_context("forkserver")
    receiver, sender = context.Pipe(duplex=False)
    lifeline, lifeline_held = context.Pipe(duplex=False)  # nothing is ever sent on it
    child = context.Process(
        target=_child,
        daemon=True,
        args=(sender, memory_bytes, lifeline, work, args, kwargs or {}),
    )
    child.start()
    sender.close()
    lifeline.close()
    try:
        if not receiver.poll(timeout):
            raise OverTime(f"stopped after {timeout:g}s")
        try:
            message = receiver.recv()
        except EOFError:  # the child died without a word: killed for memory, or crashed
            message = ("memory",)
    finally:
        if child.is_alive():
            child.kill()
        child.join(10)
        receiver.close()
        lifeline_held.close()
    if message[0] == "ok":
        return message[1]
    if message[0] == "refused":
        refusal_class: type[Refusal] = message[1]
        raise refusal_class(message[2], code=message[3])
    if message[0] == "memory":
        raise OverMemory(f"over {memory_bytes // 2**20} MB")
    raise RuntimeError(f"failed in the child process: {message[1]}")
