"""Lists that load more with htmx answer htmx with their items only (the partial) and
everyone else with the whole page, from the same view and address."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["records:list", "lineage:remixes"])
def test_htmx_gets_the_partial_and_a_browser_the_page(client: Client, make_record, name) -> None:
    record = make_record("text", title="Tide")
    url = reverse(name) if name == "records:list" else reverse(name, args=[record.pk])
    page = client.get(url).content.decode()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in page
    assert "<html" not in partial
    assert partial.strip()
