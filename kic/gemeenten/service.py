"""Registering and reading the gemeenten of the installation; every change is in the audit trail."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.audit import record
from kic.errors import KicError
from kic.gemeenten.models import Gemeente

_CODE = re.compile(r"^(?:GM)?(\d{4})$")
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
MAX_LOGO_BYTES = 500_000


class GemeenteError(KicError, ValueError):
    """A gemeente that cannot be registered or changed as asked."""


def normalise_code(text: object) -> str | None:
    """``GM0363``, ``gm0363`` or ``0363`` -> ``GM0363``; None when it is no CBS gemeentecode."""
    match = _CODE.match(str(text).strip().upper())
    return f"GM{match.group(1)}" if match else None


def list_gemeenten(session: Session) -> list[Gemeente]:
    return list(session.scalars(select(Gemeente).order_by(Gemeente.code)))


def known_codes(session: Session) -> list[str]:
    return list(session.scalars(select(Gemeente.code).order_by(Gemeente.code)))


def gemeente_names(session: Session) -> dict[str, str]:
    """Code -> name of every registered gemeente."""
    return dict(session.execute(select(Gemeente.code, Gemeente.name).order_by(Gemeente.code)).all())


def add_gemeente(
    session: Session,
    code: str,
    name: str,
    *,
    actor: str,
    logo: Path | None = None,
    ledger: Path | None = None,
) -> Gemeente:
    """Register a gemeente of the installation; a code that is no CBS code, or is known, is refused."""
    cbs = normalise_code(code)
    if cbs is None:
        raise GemeenteError(
            f"'{code}' is geen CBS-gemeentecode: GM gevolgd door vier cijfers, bijvoorbeeld GM0363"
        )
    if session.get(Gemeente, cbs) is not None:
        raise GemeenteError(f"gemeente {cbs} is al vastgelegd; wijzig haar met 'kic gemeente wijzigen {cbs}'")
    if not name.strip():
        raise GemeenteError("geef de naam van de gemeente (--naam)")
    gemeente = Gemeente(
        code=cbs, name=name.strip(), created_at=datetime.now(UTC), created_by=actor, ledger=_ledger(ledger)
    )
    if logo is not None:
        gemeente.logo, gemeente.logo_type = _logo(logo)
    session.add(gemeente)
    session.flush()
    record(
        session,
        actor=actor,
        action="gemeente.toevoegen",
        object_type="gemeente",
        object_id=cbs,
        after=_view(gemeente),
    )
    return gemeente


def change_gemeente(
    session: Session,
    code: str,
    *,
    actor: str,
    name: str | None = None,
    logo: Path | None = None,
    ledger: Path | None = None,
) -> Gemeente:
    """Change the name, logo or grootboek of a registered gemeente; its code never changes."""
    cbs = normalise_code(code)
    gemeente = session.get(Gemeente, cbs) if cbs else None
    if gemeente is None:
        raise GemeenteError(f"gemeente {code} is niet vastgelegd; zie 'kic gemeente list'")
    before = _view(gemeente)
    if name is not None:
        if not name.strip():
            raise GemeenteError("de naam van een gemeente mag niet leeg zijn")
        gemeente.name = name.strip()
    if logo is not None:
        gemeente.logo, gemeente.logo_type = _logo(logo)
    if ledger is not None:
        gemeente.ledger = _ledger(ledger)
    session.flush()
    record(
        session,
        actor=actor,
        action="gemeente.wijzigen",
        object_type="gemeente",
        object_id=cbs,
        before=before,
        after=_view(gemeente),
    )
    return gemeente


def _logo(path: Path) -> tuple[bytes, str]:
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        raise GemeenteError(f"logo {path.name}: gebruik een SVG- of PNG-bestand")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GemeenteError(f"logo {path} is niet te lezen: {exc.strerror or exc}") from exc
    if len(data) > MAX_LOGO_BYTES:
        raise GemeenteError(f"logo {path.name} is groter dan {MAX_LOGO_BYTES // 1000} kB")
    return data, kind


def _ledger(path: Path | None) -> str | None:
    if path is None:
        return None
    if not path.is_file():
        raise GemeenteError(f"grootboek {path} bestaat niet")
    return str(path.resolve())


def _view(gemeente: Gemeente) -> dict[str, object]:
    return {
        "code": gemeente.code,
        "naam": gemeente.name,
        "logo": gemeente.logo_type,
        "grootboek": gemeente.ledger,
    }
