"""Logging in through the gemeente's identity provider: OpenID Connect, authorization code with PKCE.

Off unless the ``OIDC`` setting names a settings file (``KIC_WEB_OIDC``); docs/web.md lists its
keys. Authlib's Flask client does the protocol: it keeps ``state``, ``nonce`` and the PKCE code
verifier in the (signed) session, exchanges the code at the token endpoint, and verifies the ID
token's signature against the provider's JWKS. kic adds what Authlib leaves to the application:
the ID token's ``iss`` must be the configured issuer and its ``aud`` must hold our client id (Authlib
checks ``aud`` only through ``azp``), and an answer without an ID token is refused. Which account
the person becomes is decided in :mod:`kic.users.oidc`. No token is stored or logged: the session
gets only what a local login gets, plus the fact that the login came through the provider.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import Flask, current_app, request, session, url_for
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, JoseError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from werkzeug.wrappers import Response

from kic.configfile import ConfigError, EntryProblem, problems_of, validate_file
from kic.controls.errors import Problem
from kic.users.models import Role
from kic.users.oidc import AccountPolicy, ExternalIdentity, OidcRefused

SECRET_VARIABLE = "KIC_OIDC_CLIENT_SECRET"
NAME = "kic_oidc"  # Authlib keeps its state in the session under keys starting with _state_kic_oidc_
LEEWAY_SECONDS = 60  # clock difference allowed between kic and the provider for exp, iat and nbf
TIMEOUT_SECONDS = 10
NEXT_KEY = "oidc_next"
VIA_KEY = "via"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}

log = logging.getLogger(__name__)


class OidcSettings(BaseModel):
    """The settings file (YAML); Dutch keys where the provider's console does not name them."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    organisation: str = Field(alias="organisatie", min_length=1)
    issuer: str = Field(min_length=1)
    discovery_url: str | None = None
    client_id: str = Field(min_length=1)
    scopes: list[str] = Field(default_factory=lambda: ["openid", "profile", "email"])
    username_claim: str = Field("preferred_username", alias="gebruikersnaam_claim", min_length=1)
    domain: str | None = Field(None, alias="gebruikersnaam_domein")
    name_claim: str = Field("name", alias="naam_claim", min_length=1)
    roles_claim: str = Field("groups", alias="rollen_claim", min_length=1)
    roles: dict[str, Role] = Field(default_factory=dict, alias="rollen")
    auto_create: bool = Field(False, alias="automatisch_aanmaken")
    gemeenten: dict[str, list[str]] = Field(default_factory=dict, alias="gemeenten")
    provider_logout: bool = Field(True, alias="uitloggen_bij_provider")
    public_url: str | None = Field(None, alias="kic_adres")

    @field_validator("issuer", "discovery_url", "public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if not parts.hostname or parts.scheme not in ("https", "http"):
                raise ValueError(f"{value!r} is geen webadres (https://...)")
            if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
                raise ValueError(f"{value!r} moet met https:// beginnen (http alleen op deze computer)")
        return value

    @field_validator("scopes")
    @classmethod
    def _openid_scope(cls, value: list[str]) -> list[str]:
        if "openid" not in value:
            raise ValueError("de scope 'openid' is verplicht (zonder geeft de provider geen ID-token)")
        return value

    @model_validator(mode="after")
    def _roles_for_new_accounts(self) -> OidcSettings:
        if self.auto_create and not self.roles:
            raise ValueError(
                "automatisch_aanmaken vraagt om rollen: zonder krijgt een nieuw account geen rol"
            )
        return self

    @property
    def metadata_url(self) -> str:
        return self.discovery_url or self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    def policy(self) -> AccountPolicy:
        return AccountPolicy(
            self.organisation,
            self.roles,
            self.auto_create,
            self.domain,
            {group: tuple(codes) for group, codes in self.gemeenten.items()},
        )


class OidcSettingsError(ConfigError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("de OIDC-instellingen", problems)


def read_settings(value: str | Path | Mapping[str, Any]) -> OidcSettings:
    """The settings from a YAML file or (in tests, through create_app) a mapping; raise OidcSettingsError."""
    if isinstance(value, Mapping):
        name, content = "OIDC-instellingen", dict(value)
        try:
            return OidcSettings.model_validate(content)
        except ValidationError as exc:
            problems = problems_of(name, content, exc, "", "")
    else:
        settings, problems = validate_file(Path(value), OidcSettings, "", "")
        if settings is not None:
            return settings
    raise OidcSettingsError([_secret_hint(p) for p in problems])


def _secret_hint(problem: Problem) -> Problem:
    if problem.field != "client_secret":
        return problem
    return EntryProblem(
        problem.file,
        problem.control,
        problem.field,
        f"het geheim hoort niet in een bestand: zet het in de omgevingsvariabele {SECRET_VARIABLE}",
    )


@dataclass(frozen=True)
class Provider:
    """The configured identity provider of one app."""

    settings: OidcSettings
    client: FlaskOAuth2App

    @property
    def name(self) -> str:
        return self.settings.organisation

    def login_redirect(self, next_path: str | None) -> Response:
        """Send the browser to the provider's login page; raise OidcRefused if it cannot be reached."""
        session.pop(NEXT_KEY, None)
        if next_path:
            session[NEXT_KEY] = next_path
        try:
            self._checked_metadata()
            return self.client.authorize_redirect(self._address("auth.oidc_callback"))
        except (requests.RequestException, ValueError, KeyError) as exc:
            raise self._unreachable(exc) from exc

    def identity(self) -> ExternalIdentity:
        """Who the provider says is logging in, from its answer on the callback; raise OidcRefused."""
        if request.args.get("error"):
            _forget_pending_state()
            raise OidcRefused(
                "provider_weigert",
                f"{self.name} heeft het inloggen afgebroken of niet toegestaan. "
                f"Probeer het opnieuw of log in met uw kic-wachtwoord.",
                detail={"fout": request.args["error"][:100]},
            )
        claims = self._verified_claims()
        groups = _claim(claims, self.settings.roles_claim)
        if isinstance(groups, str):
            groups = [groups]
        return ExternalIdentity(
            issuer=claims["iss"],
            subject=claims["sub"],
            username=_claim(claims, self.settings.username_claim),
            display_name=_text(_claim(claims, self.settings.name_claim)),
            groups=tuple(g for g in groups if isinstance(g, str)) if isinstance(groups, list) else (),
        )

    def _verified_claims(self) -> Mapping[str, Any]:
        expected = {
            "iss": {"essential": True, "value": self.settings.issuer},
            "aud": {"essential": True, "value": self.settings.client_id},
        }
        try:
            self._checked_metadata()  # also after a restart between the redirect and the callback
            token = self.client.authorize_access_token(claims_options=expected, leeway=LEEWAY_SECONDS)
        except MismatchingStateError as exc:
            raise OidcRefused(
                "state_onjuist",
                f"Het inloggen via {self.name} is verlopen of niet vanuit kic begonnen. Probeer het opnieuw.",
            ) from exc
        except JoseError as exc:
            raise self._unverifiable(exc) from exc
        except AuthlibBaseError as exc:
            raise self._unverifiable(
                exc, reason="token_geweigerd", detail={"fout": str(getattr(exc, "error", ""))[:100]}
            ) from exc
        except (requests.RequestException, ValueError, KeyError, RuntimeError) as exc:
            raise self._unreachable(exc) from exc
        if not token.get("userinfo"):
            raise self._unverifiable(None, reason="geen_id_token")
        return token["userinfo"]

    def logout_url(self) -> str | None:
        """Where to end the session at the provider too, or None (no end_session_endpoint, or unreachable)."""
        if not self.settings.provider_logout:
            return None
        try:
            endpoint = self.client.load_server_metadata().get("end_session_endpoint")
        except (requests.RequestException, ValueError) as exc:
            log.warning(
                "OIDC: uitloggen bij de provider overgeslagen, metadata niet te lezen (%s)",
                type(exc).__name__,
            )
            return None
        if not isinstance(endpoint, str) or _origin(endpoint) != _origin(self.settings.issuer):
            return None  # the CSP admits form posts that end up at the issuer's origin only
        return add_params_to_uri(
            endpoint,
            [
                ("client_id", self.settings.client_id),
                ("post_logout_redirect_uri", self._address("auth.login")),
            ],
        )

    def _checked_metadata(self) -> None:
        metadata = self.client.load_server_metadata()
        if metadata.get("issuer") != self.settings.issuer:
            # OIDC Discovery 1.0 section 4.3: the document must name the issuer it was fetched for.
            self.client.server_metadata.pop("_loaded_at", None)
            raise ValueError(f"discovery noemt issuer {metadata.get('issuer')!r}")

    def _address(self, endpoint: str) -> str:
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/") + url_for(endpoint)
        return url_for(endpoint, _external=True)

    def _unreachable(self, exc: Exception) -> OidcRefused:
        log.warning("OIDC: provider niet bereikbaar of onbruikbaar antwoord: %s: %s", type(exc).__name__, exc)
        return OidcRefused(
            "provider_onbereikbaar",
            f"Inloggen via {self.name} lukt nu niet: kic kan de "
            f"identiteitsprovider niet bereiken. Probeer het later opnieuw "
            f"of log in met uw kic-wachtwoord.",
            detail={"fout": type(exc).__name__},
        )

    def _unverifiable(
        self, exc: Exception | None, *, reason: str | None = None, detail: dict[str, object] | None = None
    ) -> OidcRefused:
        reason = reason or _token_reason(exc)
        if detail is None and isinstance(exc, ClaimError):
            detail = {"claim": exc.claim}
        return OidcRefused(
            reason,
            f"Inloggen via {self.name} is mislukt: kic kon het antwoord van de "
            f"identiteitsprovider niet controleren. Probeer het opnieuw; lukt het niet, "
            f"neem dan contact op met de beheerder.",
            detail=detail,
        )


def _token_reason(exc: Exception | None) -> str:
    if isinstance(exc, BadSignatureError):
        return "handtekening_onjuist"
    if isinstance(exc, ExpiredTokenError):
        return "id_token_verlopen"
    if isinstance(exc, ClaimError):
        return "claim_onjuist"
    return "id_token_onjuist"


def _claim(claims: Mapping[str, Any], name: str) -> Any:
    """A claim by name, or by a dotted path into nested claims (Keycloak: ``realm_access.roles``)."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _forget_pending_state() -> None:
    for key in [k for k in session if k.startswith(f"_state_{NAME}_")]:
        session.pop(key)


def provider() -> Provider | None:
    """The identity provider of the current app, or None when OIDC is off."""
    return current_app.extensions.get("kic_oidc")


def remember_login_via_provider() -> None:
    """Mark the (fresh) session as one started through the provider, for the logout."""
    session[VIA_KEY] = "oidc"


def logged_in_via_provider() -> bool:
    return session.get(VIA_KEY) == "oidc"


def init_oidc(app: Flask) -> None:
    """Set up the provider when the ``OIDC`` setting is given; raise OidcSettingsError on a bad one."""
    value = app.config.get("OIDC")
    if not value:
        return
    settings = read_settings(value)
    secret = app.config.get("OIDC_CLIENT_SECRET")
    if not secret:
        raise OidcSettingsError(
            [
                EntryProblem(
                    "OIDC-instellingen",
                    None,
                    "client_secret",
                    f"zet het client-secret in de omgevingsvariabele {SECRET_VARIABLE}",
                )
            ]
        )
    client = FlaskOAuth2App(
        FlaskIntegration(NAME),
        NAME,
        client_id=settings.client_id,
        client_secret=secret,
        server_metadata_url=settings.metadata_url,
        client_kwargs={
            "scope": " ".join(settings.scopes),
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )
    app.extensions["kic_oidc"] = Provider(settings, client)
    app.config["CSP_FORM_ACTION"] = [*app.config.get("CSP_FORM_ACTION", []), _origin(settings.issuer)]
    # Authlib logs the PKCE code verifier at DEBUG level; no secret of a login belongs in a log.
    logging.getLogger("authlib").setLevel(max(logging.getLogger("authlib").getEffectiveLevel(), logging.INFO))
