"""Which gemeenten a user works for, and so what they may see.

In a samenwerkingsverband the accountant of gemeente A may see nothing of gemeente B. A user can therefore
be limited to one or more gemeenten (``user_gemeente``); a user without a limit works for the whole
installation, as the kwaliteitsmedewerkers of the sociale dienst do. :func:`user_scope` turns the limit into
the :class:`kic.gemeenten.Scope` that every page and download applies, the same scope a report of one
gemeente uses. A user limited to every gemeente of the installation sees the whole installation: there is
nothing that belongs to another gemeente (this is also what a limit means in an installation of one gemeente).

The beheerder is never limited: the beheerder manages the accounts and reads the whole audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kic.gemeenten import WHOLE, Scope, known_codes, normalise_code
from kic.users.models import Role, User, UserGemeente

EVERY_GEMEENTE = "alle gemeenten"


def user_gemeenten(session: Session, user: User) -> list[str]:
    """The CBS codes ``user`` is limited to, sorted; empty: no limit."""
    return list(
        session.scalars(
            select(UserGemeente.gemeente)
            .where(UserGemeente.user_id == user.id)
            .order_by(UserGemeente.gemeente)
        )
    )


def user_scope(session: Session, user: User) -> Scope:
    """What ``user`` may see: the whole installation, or the rows of their gemeenten."""
    codes = set(user_gemeenten(session, user))
    if not codes or codes >= set(known_codes(session)):
        return WHOLE
    return Scope.of(codes)


def gemeente_problems(session: Session, codes: Iterable[str], role: str) -> tuple[list[str], list[str]]:
    """The CBS codes of ``codes`` (normalised, sorted) and every problem with them (Dutch)."""
    wanted, problems = set(), []
    known = set(known_codes(session))
    for text in codes:
        if not str(text).strip():
            continue
        code = normalise_code(text)
        if code is None:
            problems.append(
                f"'{text}' is geen CBS-gemeentecode: GM gevolgd door vier cijfers, bijvoorbeeld GM0363"
            )
        elif code not in known:
            shown = ", ".join(sorted(known)) or "nog geen; leg ze vast met 'kic gemeente add'"
            problems.append(f"gemeente {code} is niet vastgelegd (bekend: {shown})")
        else:
            wanted.add(code)
    if (wanted or problems) and role == Role.BEHEERDER.value:
        problems.append(
            "een beheerder werkt voor de hele installatie en kan niet tot gemeenten worden beperkt"
        )
    return sorted(wanted), problems


def store_gemeenten(session: Session, user: User, codes: Iterable[str]) -> None:
    """Replace the user's gemeenten by ``codes`` (already checked with :func:`gemeente_problems`)."""
    session.execute(delete(UserGemeente).where(UserGemeente.user_id == user.id))
    session.add_all(UserGemeente(user_id=user.id, gemeente=code) for code in sorted(set(codes)))
    session.flush()


def shown_gemeenten(codes: list[str]) -> str:
    """``GM9901, GM9902`` or ``alle gemeenten``: how pages, the CLI and the audit trail name a limit."""
    return ", ".join(codes) if codes else EVERY_GEMEENTE
