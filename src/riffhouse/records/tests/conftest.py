import io

from riffhouse.records import content


def upload(data: bytes, name: str = "file.bin") -> content.Upload:
    return content.Upload(handle=io.BytesIO(data), name=name, size=len(data))
