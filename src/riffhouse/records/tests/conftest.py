import io

from riffhouse.records import services


def upload(data: bytes, name: str = "file.bin") -> services.Upload:
    return services.Upload(handle=io.BytesIO(data), name=name, size=len(data))
