"""A username that reads like another (other alphabets, capitals, full-width forms, TR39's
confusables) or mixes look-alike scripts is refused wherever accounts are made; a name in one
non-Latin script is welcome."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.usernames import (
    LOOKS_LIKE_ANOTHER,
    lookalike_script_mix,
    skeleton,
    username_keys,
)

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
PASSWORD = "a-Long-pass-phrase-42"
User = get_user_model()


def sign_up(username: str, client: Client | None = None):
    client = client or Client()
    return client.post(SIGNUP, {"username": username, "password1": PASSWORD, "password2": PASSWORD})


def errors(response) -> str:
    return " ".join(response.context["form"].errors.get("username", []))


LOOKALIKES_OF_ALICE = [
    pytest.param("\u0430lice", id="cyrillic-a"),
    pytest.param("\u0430l\u0456c\u0435", id="cyrillic-a-i-e"),
    pytest.param("\u03b1lice", id="greek-alpha"),
    pytest.param("ALICE", id="capitals"),
    pytest.param("Alice", id="capital-first"),
    pytest.param("AIice", id="capital-i-for-l"),
    pytest.param("a1ice", id="digit-one-for-l"),
    pytest.param("\uff41\uff4c\uff49\uff43\uff45", id="full-width"),
    pytest.param("\uff21\uff2c\uff29\uff23\uff25", id="full-width-capitals"),
    pytest.param("\U0001d41a\U0001d425\U0001d422\U0001d41c\U0001d41e", id="mathematical-bold"),
]


@pytest.mark.parametrize("lookalike", LOOKALIKES_OF_ALICE)
def test_a_lookalike_of_an_existing_username_is_refused_at_sign_up(db, lookalike):
    """Signing up as a name that reads like `alice` is refused with a clear message."""
    User.objects.create_user("alice", password=PASSWORD)
    response = sign_up(lookalike)
    assert response.status_code == 200
    assert errors(response), "the form must say what is wrong with the username"
    assert "looks" in errors(response) or "already exists" in errors(response)
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]


def test_the_message_explains_what_reads_alike(db):
    """The refusal says why, without naming the other account."""
    User.objects.create_user("paypal", password=PASSWORD)
    response = sign_up("paypa1")
    assert errors(response) == LOOKS_LIKE_ANOTHER


def test_rn_reads_like_m_as_tr39_says(db):
    """`rn` and `m` share a TR39 skeleton, so `modern` blocks `rnodern`."""
    assert skeleton("m") == skeleton("rn")
    User.objects.create_user("modern", password=PASSWORD)
    assert errors(sign_up("rnodern"))
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "script_letter"),
    [
        pytest.param("p\u0430ypal", "\u0430", id="latin-with-cyrillic-a"),
        pytest.param("\u0440aypal", "\u0440", id="latin-with-cyrillic-er"),
        pytest.param("\u03bfscar", "\u03bf", id="latin-with-greek-omicron"),
        pytest.param(
            "\u0410\u043b\u0435\u043a\u0441\u0435\u0439x", "x", id="cyrillic-with-latin-x"
        ),
        pytest.param("\u03a1\u0430\u0443", "\u03a1", id="greek-and-cyrillic"),
    ],
)
def test_a_name_mixing_lookalike_scripts_is_refused_even_when_new(db, name, script_letter):
    """A mixed-script name with a letter that looks like another script's is refused alone."""
    assert lookalike_script_mix(name) is not None
    response = sign_up(name)
    assert response.status_code == 200
    message = errors(response)
    assert "mixes alphabets" in message
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("\u0410\u043b\u0435\u043a\u0441\u0435\u0439", id="russian"),
        pytest.param("\u0623\u062d\u0645\u062f", id="arabic"),
        pytest.param("\u039d\u03af\u03ba\u03bf\u03c2", id="greek"),
        pytest.param("\u674e\u5c0f\u9f8d", id="chinese"),
        pytest.param("jos\u00e9_2", id="latin-accented-with-digit"),
        pytest.param("jean-luc.picard", id="latin-punctuated"),
    ],
)
def test_a_name_in_one_script_is_accepted(db, name):
    """A name written in one alphabet (plus digits and punctuation) signs up as usual."""
    User.objects.create_user("alice", password=PASSWORD)
    client = Client()
    response = sign_up(name, client)
    assert response.status_code == 302, errors(response)
    assert User.objects.filter(username=name).exists()
    assert "_auth_user_id" in client.session


def test_cyrillic_and_latin_twins_cannot_both_exist(db):
    """Whichever comes first, its look-alike in the other alphabet is refused."""
    assert sign_up("\u0441\u0430\u0440").status_code == 302  # Cyrillic "сар"
    response = sign_up("cap")  # Latin
    assert errors(response) == LOOKS_LIKE_ANOTHER
    assert User.objects.count() == 1


# --- The admin ------------------------------------------------------------------------------


@pytest.fixture
def curator(db):
    user = User.objects.create_superuser("curator", password=PASSWORD)
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_refuses_to_add_a_lookalike_user(curator):
    """The admin's add-user form refuses `аlice` beside `alice`."""
    User.objects.create_user("alice", password=PASSWORD)
    response = curator.post(
        reverse("admin:auth_user_add"),
        {"username": "\u0430lice", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert "mixes alphabets" in " ".join(response.context["adminform"].form.errors["username"])
    assert not User.objects.filter(username="\u0430lice").exists()
    User.objects.create_user("cap", password=PASSWORD)
    response = curator.post(reverse("admin:auth_user_add"), {"username": "\u0441\u0430\u0440"})
    assert response.context["adminform"].form.errors["username"] == [LOOKS_LIKE_ANOTHER]
    assert User.objects.count() == 3


def change_data(user, username: str) -> dict:
    return {
        "username": username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }


def test_the_admin_refuses_to_rename_a_user_to_a_lookalike(curator):
    """Renaming bob to `аlice` in the admin is refused; keeping his own name is not."""
    User.objects.create_user("alice", password=PASSWORD)
    bob = User.objects.create_user("bob", password=PASSWORD)
    url = reverse("admin:auth_user_change", args=[bob.pk])
    response = curator.post(url, change_data(bob, "ALICE"))
    assert response.status_code == 200
    assert LOOKS_LIKE_ANOTHER in response.context["adminform"].form.errors["username"]
    assert User.objects.get(pk=bob.pk).username == "bob"
    response = curator.post(url, change_data(bob, "bob"))
    assert response.status_code == 302
    response = curator.post(url, change_data(bob, "B0B"))  # his own name, restyled: allowed
    assert response.status_code == 302


# --- The keys, as plain functions -----------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_keys_never_crash_and_are_stable(name):
    """Any text has keys, and a name's keys are those of its own keys' text (idempotent)."""
    first, second = username_keys(name)
    assert isinstance(first, str)
    assert isinstance(second, str)
    assert username_keys(name) == (first, second)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=1)
)
def test_case_and_full_width_never_make_a_new_name(name):
    """A Latin name in capitals or in full-width letters shares a key with the name."""
    full_width = "".join(chr(ord(ch) + 0xFEE0) if ch != "_" else ch for ch in name)
    for variant in (name.upper(), name.lower(), full_width):
        assert username_keys(variant)[0] == username_keys(name)[0]
