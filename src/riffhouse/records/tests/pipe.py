"""What the media child runs in the worker tests: read a named pipe that the test never
writes to, so the child waits mid-job. No Django imports: it loads in the bare child."""


def read_pipe(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()
