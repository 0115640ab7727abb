"""The sandbox: run the media tools on one original in a child process with limits.

FFmpeg and Pillow decode files strangers sent us. Each job runs them in a separate process
(from a fork server, so the worker's threads and connections are never copied) with a cap on
memory and on wall-clock time: a hostile or huge file can fail its own job, never take the
worker down with it. This module imports no Django code, so children start fast.

A child dies with the worker that asked for it, so no transcode runs on, unsupervised, for a
job already abandoned. The fork server is the children's parent, not the worker, and stays up
while any child lives (each child holds its "alive" pipe), so neither waiting for it to exit
nor PR_SET_PDEATHSIG would help: the worker instead holds the only write end of a lifeline
pipe whose read end the child watches, and the kernel closes it when the worker dies.
"""

import contextlib
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from riffhouse.records import media

Result = tuple[list[media.Output], dict[str, Any]]


def renditions_make(
    kind: str, original: Path, out_dir: Path, max_seconds: float, max_pixels: int
) -> Result:
    """Everything people see of one original: renditions plus facts for the page."""
    if kind == "image":
        return media.image_renditions(original, out_dir, max_pixels=max_pixels)
    if kind == "audio":
        probe = media.probe_audio(original, max_duration=max_seconds)
        web = media.audio_rendition(original, out_dir / "audio.m4a")
        peaks = media.waveform_peaks(original)
        return [web], {"duration": probe.duration, "peaks": peaks}
    probe = media.probe_video(original, max_duration=max_seconds)
    poster = media.video_poster(original, out_dir / "poster.jpg")
    web = media.video_rendition(original, out_dir / "video.mp4")
    return [poster, web], {"duration": probe.duration, "width": web.width, "height": web.height}


def _die_with_worker(lifeline: Connection) -> None:
    """Kill this child as soon as the lifeline reads end-of-file: the worker is gone."""

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
) -> None:
    _die_with_worker(lifeline)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        conn.send(("ok", work(*args)))
    except media.MediaError as error:
        conn.send(("refused", error.reason, error.code))
    except MemoryError:
        conn.send(("memory",))
    except BaseException as error:  # reported to the parent, which retries the job
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def renditions_make_isolated(
    kind: str,
    original: Path,
    out_dir: Path,
    *,
    max_seconds: float,
    max_pixels: int,
    memory_bytes: int,
    timeout: float,
) -> Result:
    """`renditions_make` in a child process limited to `memory_bytes` of address space and `timeout`
    seconds. A file we cannot or may not process raises media.MediaError with a reason for
    the uploader; anything else raises RuntimeError (the job is then retried)."""
    result: Result = run_isolated(
        renditions_make,
        (kind, original, out_dir, max_seconds, max_pixels),
        memory_bytes=memory_bytes,
        timeout=timeout,
    )
    return result


def run_isolated(
    work: Callable[..., Any], args: tuple[Any, ...], *, memory_bytes: int, timeout: float
) -> Any:
    """`work(*args)` (a module-level function: it is sent by name) in a limited child
    process, with `renditions_make_isolated`'s errors."""
    context = multiprocessing.get_context("forkserver")
    receiver, sender = context.Pipe(duplex=False)
    lifeline, lifeline_held = context.Pipe(duplex=False)  # nothing is ever sent on it
    child = context.Process(
        target=_child,
        daemon=True,
        args=(
            sender,
            memory_bytes,
            lifeline,
            work,
            args,
        ),
    )
    child.start()
    sender.close()
    lifeline.close()
    try:
        if not receiver.poll(timeout):
            raise media.MediaError(
                "Processing this file took too long. Try a shorter or smaller file.", code="timeout"
            )
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
        raise media.MediaError(message[1], code=message[2])
    if message[0] == "memory":
        raise media.MediaError(
            "This file needs more memory to process than Riffhouse allows.", code="too_large"
        )
    raise RuntimeError(f"processing failed in the child process: {message[1]}")
