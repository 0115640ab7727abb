"""Upload benchmark: a 1 GB video sent to the running web server (gunicorn, as `make run`
starts it) through `POST /api/v1/records`. Measures how much the web process's peak memory
(VmHWM) grows while it receives, checks and stores the file. Target: < 100 MB."""

import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GB = 1024**3


def make_big_video(path: Path, *, target_bytes: int = GB) -> int:
    """Motion-JPEG noise frames in a QuickTime file: valid video, grows ~2 MB a frame."""
    rng = np.random.default_rng(7)
    with av.open(str(path), "w", format="mov") as container:
        stream = container.add_stream("mjpeg", rate=30)
        stream.width, stream.height = 1280, 720
        stream.pix_fmt = "yuvj420p"
        stream.options = {"q:v": "1"}
        noise = [rng.integers(0, 255, (720, 1280, 3), dtype=np.uint8) for _ in range(8)]
        i = written = 0
        while written < target_bytes:
            frame = av.VideoFrame.from_ndarray(noise[i % len(noise)], format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, 30)
            for packet in stream.encode(frame):
                written += packet.size
                container.mux(packet)
            i += 1
        for packet in stream.encode(None):
            container.mux(packet)
    return path.stat().st_size


def vm(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def multipart(path: Path, fields: dict[str, str], boundary: str) -> tuple[Iterator[bytes], int]:
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{path.name}"\r\nContent-Type: video/quicktime\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = len(head) + path.stat().st_size + len(tail)

    def body() -> Iterator[bytes]:
        yield head
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                yield chunk
        yield tail

    return body(), size


def bench_upload() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="riffhouse-bench-") as tmp:
        data = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env.update(
            RIFFHOUSE_DATA_DIR=str(data),
            DJANGO_SETTINGS_MODULE="riffhouse.settings",
            FILE_UPLOAD_TEMP_DIR=str(data),
        )
        riffhouse = [sys.executable, "-m", "riffhouse"]
        subprocess.run([*riffhouse, "migrate", "--verbosity", "0"], env=env, check=True)
        password = secrets.token_urlsafe(16)
        code = (
            "from riffhouse.accounts import services as a\n"
            f"u = a.user_create(username='bench', email='b@ex.org', password='{password}')\n"
            "print(a.api_token_create(user=u, name='bench').raw)\n"
        )
        token = subprocess.run(
            [*riffhouse, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
        ).stdout.split()[-1]
        video = data / "big.mov"
        size = make_big_video(video)
        port = 8197
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "riffhouse.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--worker-class",
                "gthread",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "600",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    connection.request("GET", "/healthz")
                    connection.getresponse().read()
                    break
                except OSError:
                    time.sleep(0.1)
            children = Path(f"/proc/{web.pid}/task/{web.pid}/children").read_text().split()
            worker = int(children[0])
            before = vm(worker, "VmHWM")
            boundary = secrets.token_hex(12)
            body, length = multipart(video, {"kind": "video", "title": "Big noise"}, boundary)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            started = time.perf_counter()
            connection.request(
                "POST",
                "/api/v1/records",
                body=body,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Length": str(length),
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                },
            )
            response = connection.getresponse()
            payload = json.loads(response.read())
            elapsed = time.perf_counter() - started
            after = vm(worker, "VmHWM")
        finally:
            web.terminate()
            web.wait(30)
        growth = (after - before) / 1024**2
        return {
            "status": response.status,
            "file_mb": round(size / 1024**2),
            "seconds": round(elapsed, 1),
            "peak_growth_mb": round(growth, 1),
            "target_mb": 100,
            "record_kind": payload.get("kind"),
        }


if __name__ == "__main__":
    print(json.dumps(bench_upload(), indent=2))
