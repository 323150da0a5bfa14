"""Which kic account a person becomes who logged in at the gemeente's identity provider (OIDC).

The web layer has verified the ID token (signature, issuer, audience, expiry, nonce); this module
only decides about the account. An existing active account with the same username logs in with
its own role. Without one, an account is created with the role that the provider's groups map to,
but only when the gemeente allowed that (``automatisch_aanmaken``). Everything else is refused
with a Dutch message, and every outcome goes to the audit trail: the success here, the refusal by
whoever catches :class:`OidcRefused` (:func:`record_refusal`), so that a refusal found while
checking the token is recorded the same way. Tokens are never recorded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from kic.audit import record
from kic.errors import KicError
from kic.users.accounts import USERNAME, find_user, set_gemeenten, user_view
from kic.users.gemeenten import gemeente_problems
from kic.users.login import ANONYMOUS
from kic.users.models import Role, User
from kic.users.passwords import NO_PASSWORD

VIA = "oidc"
GROUPS_RECORDED = 50  # a refusal records the groups received, so the beheerder can fix the mapping
SHOWN = 64  # characters of a value from the provider that kic repeats (audit trail, message)


@dataclass(frozen=True)
class ExternalIdentity:
    """What the verified ID token says about the person."""

    issuer: str
    subject: str
    username: object  # the claim as received: it may be missing or not a string
    display_name: str | None = None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountPolicy:
    """How identities become accounts. ``roles`` maps a provider group to a kic role; when someone is
    in groups of more than one role, the first entry of the mapping that applies wins."""

    provider: str  # the organisation's name, for the messages
    roles: Mapping[str, Role] = field(default_factory=dict)
    auto_create: bool = False
    domain: str | None = None  # "gemeente.nl": 'j.jansen@gemeente.nl' becomes 'j.jansen'
    # A provider group -> the CBS codes its members work for (EVERY: the whole installation). When set, the
    # groups decide at every login which gemeenten an account (not a beheerder) sees; no mapped group: refused.
    gemeenten: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


EVERY = "alle"  # in the mapping of groups to gemeenten: the whole installation


class OidcRefused(KicError):
    """A login through the identity provider is refused: ``reason`` is a stable code for the audit
    trail, ``message`` the Dutch text for the person, ``detail`` more for the audit trail."""

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        username: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.reason, self.username = reason, username
        self.detail = dict(detail or {})


def oidc_account(
    session: Session, identity: ExternalIdentity, policy: AccountPolicy, *, address: str | None = None
) -> User:
    """The account ``identity`` logs in as (created if the policy allows); raise OidcRefused."""
    username = kic_username(identity.username, policy)
    user = find_user(session, username)
    if user is not None and not user.active:
        raise OidcRefused(
            "gedeactiveerd",
            f"Uw kic-account ({username}) is gedeactiveerd. Vraag de beheerder om het weer aan te zetten.",
            username=username,
        )
    codes = _mapped_gemeenten(session, identity, policy, username)  # before anything is written
    if user is None:
        user = _create(session, identity, policy, username, address)
    if codes is not None and user.role != Role.BEHEERDER.value:
        set_gemeenten(session, user.username, codes, actor=user.username, address=address)
    record(
        session,
        actor=user.username,
        action="gebruiker.inloggen_oidc",
        object_type="user",
        object_id=user.username,
        after={"via": VIA, "issuer": identity.issuer, "sub": identity.subject},
        address=address,
    )
    return user


def kic_username(claim: object, policy: AccountPolicy) -> str:
    """The kic username of the claim's value: lower case, the gemeente's domain taken off."""
    if not isinstance(claim, str) or not claim.strip():
        raise OidcRefused(
            "geen_gebruikersnaam",
            f"{policy.provider} gaf geen gebruikersnaam door. Vraag de "
            f"beheerder om de instellingen van het inloggen te controleren.",
        )
    username = claim.strip().lower()
    shown = username[:SHOWN]  # the claim is the provider's: a long one must not fill the trail or the cookie
    if policy.domain:
        suffix = "@" + policy.domain.lower()
        if not username.endswith(suffix):
            raise OidcRefused(
                "ander_domein",
                f"De gebruikersnaam {shown} hoort niet bij {policy.domain}; "
                f"kic laat alleen accounts van dat domein toe.",
                username=shown,
            )
        username = username.removesuffix(suffix)
    if not USERNAME.match(username):
        raise OidcRefused(
            "ongeldige_gebruikersnaam",
            f"De gebruikersnaam {shown} die {policy.provider} doorgaf, kan kic niet gebruiken. "
            f"Vraag de beheerder om de instellingen van het inloggen te controleren.",
            username=shown,
        )
    return username


def mapped_role(groups: Sequence[str], roles: Mapping[str, Role]) -> tuple[Role, str] | None:
    """The role of the first mapping entry whose group is among ``groups``, with that group."""
    present = set(groups)
    return next(((role, group) for group, role in roles.items() if group in present), None)


def _mapped_gemeenten(
    session: Session, identity: ExternalIdentity, policy: AccountPolicy, username: str
) -> list[str] | None:
    """The gemeenten the groups give (empty: the whole installation), or None when the provider's groups
    do not decide about gemeenten. Refused: a person in none of the mapped groups, or a mapping that
    names a gemeente the installation does not know."""
    if not policy.gemeenten:
        return None
    present = [group for group in policy.gemeenten if group in set(identity.groups)]
    if not present:
        raise OidcRefused(
            "geen_gemeente",
            f"U werkt volgens {policy.provider} voor geen van de gemeenten in kic: u bent geen lid van een "
            "groep die toegang geeft tot een gemeente. Vraag de beheerder om toegang.",
            username=username,
            detail={"groepen": [g[:SHOWN] for g in identity.groups[:GROUPS_RECORDED]]},
        )
    codes = {code for group in present for code in policy.gemeenten[group]}
    if EVERY in codes:
        return []
    found, problems = gemeente_problems(session, codes, Role.ACCOUNTANT.value)
    if problems:
        raise OidcRefused(
            "onbekende_gemeente",
            "De instellingen van het inloggen noemen een gemeente die kic niet kent. Vraag de beheerder om "
            "de instelling 'gemeenten' te controleren.",
            username=username,
            detail={"problemen": problems},
        )
    return found


def _create(
    session: Session, identity: ExternalIdentity, policy: AccountPolicy, username: str, address: str | None
) -> User:
    if not policy.auto_create:
        raise OidcRefused(
            "geen_account",
            f"Er is geen kic-account voor {username}. Vraag de beheerder om een account voor u aan te maken.",
            username=username,
        )
    found = mapped_role(identity.groups, policy.roles)
    if found is None:
        raise OidcRefused(
            "geen_rol",
            f"U hebt geen rol in kic: u bent bij {policy.provider} geen lid van een "
            f"groep die toegang geeft tot kic. Vraag de beheerder om toegang.",
            username=username,
            detail={"groepen": [g[:SHOWN] for g in identity.groups[:GROUPS_RECORDED]]},
        )
    role, group = found
    now = datetime.now(UTC)
    user = User(
        username=username,
        display_name=_display_name(identity, username),
        role=role.value,
        password_hash=NO_PASSWORD,
        active=True,
        password_changed_at=now,
        created_at=now,
        changed_at=now,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor=username,
        action="gebruiker.toevoegen",
        object_type="user",
        object_id=username,
        after={**user_view(user), "via": VIA, "groep": group},
        address=address,
        note="aangemaakt bij de eerste keer inloggen via de identiteitsprovider",
    )
    return user


def _display_name(identity: ExternalIdentity, username: str) -> str:
    name = re.sub(r"\s+", " ", identity.display_name or "").strip()
    return name[:200] or username


def record_refusal(session: Session, refusal: OidcRefused, *, address: str | None = None) -> None:
    """Put a refused login in the audit trail (commit the session afterwards)."""
    record(
        session,
        actor=ANONYMOUS,
        action="gebruiker.inloggen_oidc_geweigerd",
        object_type="user",
        object_id=refusal.username,
        after={"via": VIA, "reden": refusal.reason, **refusal.detail},
        address=address,
    )
