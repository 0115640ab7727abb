"""A profile with no records yet: its member is invited to start, a visitor told plainly."""

import pytest
from django.test import Client
from django.urls import reverse

from riffhouse.accounts.models import User

pytestmark = pytest.mark.django_db


def records_of(client: Client, member: User) -> str:
    # The profile loads its records from the list (htmx), as the page does.
    response = client.get(
        reverse("records:list") + f"?author={member.username}", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return response.content.decode()


def test_your_own_empty_profile_asks_for_your_first_record(client: Client, user: User) -> None:
    client.force_login(user)
    shown = records_of(client, user)
    assert "Upload your first record" in shown
    assert f'href="{reverse("records:new")}"' in shown


def test_a_visitor_sees_nothing_published_yet(client: Client, user: User, make_user) -> None:
    assert "Nothing published yet." in records_of(client, user)
    client.force_login(make_user("sable"))
    shown = records_of(client, user)
    assert "Nothing published yet." in shown
    assert "Upload your first record" not in shown


def test_a_profile_with_records_shows_them_instead(client: Client, user: User, make_record) -> None:
    make_record(title="Harbour lights")
    client.force_login(user)
    shown = records_of(client, user)
    assert "Harbour lights" in shown
    assert "Upload your first record" not in shown
