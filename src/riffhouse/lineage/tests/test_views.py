import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_licence_table_says_what_each_permits(client: Client, make_record) -> None:
    body = client.get("/licences/").content.decode()
    for name in ("CC0 1.0", "CC BY-SA 4.0", "Riffhouse licence", "All rights reserved"):
        assert name in body
    assert "Remixing only with the author’s approval." in body
    record = make_record("text", licence="cc-by-sa")
    assert '/licences/#cc-by-sa"' in client.get(record.get_absolute_url()).content.decode()
