"""Admin login throttling (django-axes; settings "Login throttling")."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from cms.security import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        "hannah", password=PASSWORD, is_staff=True
    )


def log_in(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_address_out_even_with_the_right_password(
    staff_user,
):
    client = Client()
    for _ in range(2):
        response = log_in(client, "hannah", "wrong")
        assert response.status_code == 200  # the form again, with its error
        assert "Please enter the correct username and password" in (
            response.content.decode()
        )
    locked = log_in(client, "hannah", "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed login attempts" in html
    assert "15 minutes after 3 failed attempts" in html
    # The right password does not get through while the lock lasts.
    assert log_in(client, "hannah", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_credential_stuffing_from_one_address_is_stopped(staff_user):
    """Many usernames, one try each, from one address."""
    client = Client()
    for name in ["anna", "ben", "carla"]:
        log_in(client, name, "guess")
    assert log_in(Client(), "hannah", PASSWORD).status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_guessing_one_account_from_many_addresses_is_stopped(staff_user):
    for number in range(3):
        log_in(Client(), "hannah", "guess", address=f"198.51.100.{number}")
    assert log_in(Client(), "hannah", PASSWORD, address="192.0.2.1").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_success_clears_earlier_failures(staff_user):
    client = Client()
    log_in(client, "hannah", "typo")
    log_in(client, "hannah", "typo")
    assert log_in(client, "hannah", PASSWORD).status_code == 302
    client.logout()
    log_in(client, "hannah", "typo")
    log_in(client, "hannah", "typo")
    assert log_in(client, "hannah", PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_forged_forwarded_for_header_does_not_buy_new_tries(staff_user):
    """Without a proxy the header is the client's own words, so ignored."""
    for number in range(3):
        log_in(
            Client(),
            f"user{number}",
            "guess",
            x_forwarded_for=f"10.0.0.{number}",
        )
    assert log_in(Client(), "hannah", PASSWORD).status_code == 429


class Request:
    def __init__(self, meta):
        self.META = meta


@override_settings(BEHIND_PROXY=True, PROXY_COUNT=1)
def test_behind_a_proxy_the_address_the_proxy_saw_counts():
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}
    # "6.6.6.6" was written by the client; the proxy appended what it saw.
    assert client_ip(Request(meta)) == "203.0.113.9"
    assert client_ip(Request({"REMOTE_ADDR": "10.0.0.2"})) == "10.0.0.2"


@override_settings(BEHIND_PROXY=False)
def test_without_a_proxy_the_forwarded_header_is_ignored():
    meta = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}
    assert client_ip(Request(meta)) == "203.0.113.9"


def test_logging_into_ones_own_account_does_not_wipe_failures_against_others(
    staff_user,
):
    """The attack: 32 wrong guesses at someone else's account from one address,
    with a successful login to the attacker's own account after every 8.
    axes's reset-on-success used to delete every failure from the address."""
    get_user_model().objects.create_user("mallory", password=PASSWORD, is_staff=True)
    outcomes = []
    for _round in range(4):
        for _ in range(8):
            outcomes.append(log_in(Client(), "hannah", "guess").status_code)
        outcomes.append(log_in(Client(), "mallory", PASSWORD).status_code)
    # The 10th failure locks the address; every later try is refused, the
    # attacker's own logins included.
    assert outcomes[:8] == [200] * 8
    assert outcomes[8] == 302  # mallory's own login, before the limit
    assert outcomes[9] == 200
    assert set(outcomes[10:]) == {429}
    # The guessed account stays locked from anywhere, right password included.
    assert log_in(Client(), "hannah", PASSWORD, address="192.0.2.50").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_success_clears_only_that_usernames_failures_from_that_address(staff_user):
    get_user_model().objects.create_user("mallory", password=PASSWORD, is_staff=True)
    log_in(Client(), "hannah", "guess")  # someone else's account, same address
    log_in(Client(), "mallory", "typo")
    log_in(Client(), "mallory", "typo", address="198.51.100.20")
    assert log_in(Client(), "mallory", PASSWORD).status_code == 302
    remaining = sorted(
        AccessAttempt.objects.values_list(
            "username", "ip_address", "failures_since_start"
        )
    )
    assert remaining == [("hannah", "203.0.113.7", 1), ("mallory", "198.51.100.20", 1)]


def test_a_refused_next_address_sends_the_login_to_the_admin(staff_user):
    for target in ("https://evil.example/", "//evil.example/admin/"):
        response = Client().post(
            f"/admin/login/?next={target}",
            {"username": "hannah", "password": PASSWORD, "next": target},
            REMOTE_ADDR="203.0.113.7",
        )
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
