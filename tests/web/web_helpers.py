"""Helpers of the web tests: parse a page, read a form's CSRF token, log in."""

from __future__ import annotations

from pathlib import Path

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
    return client.post(
        "/inloggen", data={"username": username, "password": password, "csrf_token": csrf(client)}
    )


def passing_answers(session, review) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """'ja' to every ja/nee question of the item's checklist (every control voldoet), and every automated
    finding on the item refuted."""
    from decimal import Decimal

    from kic.controls.catalogue import AnswerType
    from kic.controls.loader import load_catalogue
    from kic.review.service import item_checklist
    from kic.synth.reviewer import simulated_automated

    checklist = item_checklist(session, review, load_catalogue())
    answers = {
        c.id: {q.id: "ja" for q in c.checklist.questions if q.type is AnswerType.JANEE}
        for c in checklist.controls
    }
    return answers | simulated_automated(checklist.automated, Decimal("0.00"))


def evidence_store(app) -> Path:  # type: ignore[no-untyped-def]
    """Where the app keeps uploaded evidence (the default: bewijs/ in its instance folder)."""
    return Path(app.config.get("EVIDENCE_FOLDER") or Path(app.instance_path) / "bewijs")
