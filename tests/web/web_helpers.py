"""Helpers of the web tests: parse a page, read a form's CSRF token, log in."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

PASSWORD = "wachtwoord-voor-de-tests"


def page(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf(client: FlaskClient, path: str = "/inloggen") -> str:
    """The CSRF token of the form on ``path``, as a browser would read it."""
    field = page(client.get(path)).find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"geen CSRF-veld op {path}"
    return field["value"]


def login(client: FlaskClient, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/inloggen", data={"username": username, "password": password, "csrf_token": csrf(client)})
