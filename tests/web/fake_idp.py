"""A small OpenID Connect provider for the tests, served over HTTP on a local port.

It has what kic talks to: discovery, ``/authorize``, ``/token`` (client secret and PKCE checked),
``/jwks`` and an end-session endpoint. ID tokens are real RS256 JWTs signed with a key generated
for the test run. A test says who logs in (:class:`Person`) and may tell it to answer wrongly
(:class:`Tamper`: another key, audience, issuer or nonce, an expired token) to see kic refuse.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "kic-test"
CLIENT_SECRET = "geheim-van-de-test"
ORGANISATION = "Gemeente Testdam"
KID = "sleutel-2026"


@dataclass(frozen=True)
class Person:
    """Who logs in at the provider, and the claims it gives about them."""

    username: str
    name: str = "Jan Jansen"
    groups: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Tamper:
    """Ways to answer wrongly; the default answers correctly."""

    other_key: bool = False  # sign with a key that is not in the JWKS (same kid)
    aud: str | None = None
    azp: str | None = None  # authorized party: with another aud, Authlib alone would accept the token
    iss: str | None = None
    expired: bool = False
    nonce: str | None = None
    no_id_token: bool = False
    discovery_issuer: str | None = None


class FakeProvider:
    """The provider; ``issuer`` is its address. Reset ``person`` and ``tamper`` between tests."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": KID})
        self.person: Person | None = None
        self.tamper = Tamper()
        self.authorizations: list[dict[str, str]] = []  # the query of every authorization request
        self.secrets: list[str] = []  # every code, access token and ID token handed out
        self._codes: dict[str, dict[str, Any]] = {}
        self._server = make_server("127.0.0.1", 0, self._app(), threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def reset(self) -> None:
        self.person, self.tamper = None, Tamper()
        self.authorizations.clear()
        self.secrets.clear()
        self._codes.clear()

    def _app(self) -> Flask:
        app = Flask("fake_idp")
        app.add_url_rule("/.well-known/openid-configuration", view_func=self._discovery)
        app.add_url_rule("/authorize", view_func=self._authorize)
        app.add_url_rule("/token", view_func=self._token, methods=["POST"])
        app.add_url_rule("/jwks", "jwks", lambda: jsonify(keys=[self.key.as_dict(private=False)]))
        app.add_url_rule("/logout", "logout", lambda: "Uitgelogd bij de provider")
        return app

    def _discovery(self):  # type: ignore[no-untyped-def]
        return jsonify(
            issuer=self.tamper.discovery_issuer or self.issuer,
            authorization_endpoint=f"{self.issuer}/authorize",
            token_endpoint=f"{self.issuer}/token",
            jwks_uri=f"{self.issuer}/jwks",
            end_session_endpoint=f"{self.issuer}/logout",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            code_challenge_methods_supported=["S256"],
            token_endpoint_auth_methods_supported=["client_secret_basic"],
        )

    def _authorize(self):  # type: ignore[no-untyped-def]
        query = request.args.to_dict()
        self.authorizations.append(query)
        required = ("client_id", "redirect_uri", "state", "nonce", "code_challenge")
        if (
            query.get("response_type") != "code"
            or query.get("client_id") != CLIENT_ID
            or query.get("code_challenge_method") != "S256"
            or not all(query.get(k) for k in required)
            or "openid" not in query.get("scope", "").split()
        ):
            return "ongeldig autorisatieverzoek", 400
        back = {"state": query["state"]}
        if self.person is None:
            back["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(16)
            self._codes[code] = {"person": self.person, **query}
            self.secrets.append(code)
            back["code"] = code
        return redirect(f"{query['redirect_uri']}?{urlencode(back)}")

    def _token(self):  # type: ignore[no-untyped-def]
        form = request.form
        grant = self._codes.pop(form.get("code", ""), None)
        if request.authorization is None or (
            request.authorization.username,
            request.authorization.password,
        ) != (CLIENT_ID, CLIENT_SECRET):
            return jsonify(error="invalid_client"), 401
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("redirect_uri") != grant["redirect_uri"]
            or _s256(form.get("code_verifier", "")) != grant["code_challenge"]
        ):
            return jsonify(error="invalid_grant"), 400
        access_token = secrets.token_urlsafe(24)
        answer: dict[str, Any] = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300}
        if not self.tamper.no_id_token:
            answer["id_token"] = self._id_token(grant["person"], grant["nonce"])
        self.secrets.extend(answer[k] for k in ("access_token", "id_token") if k in answer)
        return jsonify(answer)

    def _id_token(self, person: Person, nonce: str) -> str:
        now = int(time.time()) - (3600 if self.tamper.expired else 0)
        claims = {
            "iss": self.tamper.iss or self.issuer,
            "sub": f"sub-{person.username}",
            "aud": self.tamper.aud or CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": self.tamper.nonce or nonce,
            "preferred_username": person.username,
            "name": person.name,
            "groups": list(person.groups),
            **person.extra,
        }
        if self.tamper.azp:
            claims["azp"] = self.tamper.azp
        key = self.other_key if self.tamper.other_key else self.key
        return jwt.encode({"alg": "RS256", "kid": KID, "typ": "JWT"}, claims, key)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def oidc_settings(provider: FakeProvider, **overrides: Any) -> dict[str, Any]:
    """kic's OIDC settings for ``provider`` (the keys of the YAML file), with ``overrides``."""
    return {
        "organisatie": ORGANISATION,
        "issuer": provider.issuer,
        "client_id": CLIENT_ID,
        "rollen": {
            "kic-teamleiders": "teamleider",
            "kic-kwaliteit": "kwaliteitsmedewerker",
            "kic-accountant": "accountant",
            "kic-beheer": "beheerder",
        },
        **overrides,
    }
