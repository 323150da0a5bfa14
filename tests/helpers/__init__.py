"""Helpers shared by the tests of several folders (importable as ``helpers``: tests/ is on the path)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import yaml
from sqlalchemy import select

from kic.controls.loader import Catalogue
from kic.resources import resource_dir
from kic.review.service import ReviewInput, create_reviews, item_checklist, save_review
from kic.samples.models import SampleItem
from kic.synth.reviewer import books_amount, simulated_answers, simulated_automated
from kic.users.models import Role, User
from kic.users.passwords import NO_PASSWORD

TEST_CATALOGUE = Path(__file__).resolve().parent.parent / "controls" / "catalogue"


def copy_test_catalogue(target: Path) -> Path:
    """The small test catalogue (tests/controls/catalogue) at ``target`` with the tables the synthetic gemeente
    pays by: the shipped normbedragen and the IOAW/IOAZ grondslagen with every row marked verified, so that
    the norm controls judge every period (the shipped table has estimated rows, which give no verdict)."""
    shutil.copytree(TEST_CATALOGUE, target)
    tables = resource_dir("controls") / "tabellen"
    shutil.copy(tables / "normbedragen.yaml", target / "tabellen")
    grondslagen = yaml.safe_load((tables / "ioaw_ioaz_grondslagen.yaml").read_text(encoding="utf-8"))
    for row in grondslagen["rijen"]:
        row["geverifieerd"] = True
    (target / "tabellen" / "ioaw_ioaz_grondslagen.yaml").write_text(
        yaml.safe_dump(grondslagen, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return target


# The kwaliteitsmedewerkers of the test gemeente: only an active kwaliteitsmedewerker can be given an item
# (kic.review.service.check_reviewers). Inserted as rows, without the audit trail of kic users add, so
# that tests of the trail start empty.
TEAM = ("ali", "bea", "cor", "dirk", "anna", "bram", "chris")


def ensure_team(session, names: tuple[str, ...] | list[str] = TEAM) -> None:  # type: ignore[no-untyped-def]
    """The reviewers as active kwaliteitsmedewerkers (only they can be given an item); existing ones are kept."""
    now = datetime.now(UTC)
    existing = set(session.scalars(select(User.username).where(User.username.in_(names))))
    session.add_all(
        User(
            username=name,
            display_name=name.capitalize(),
            role=Role.KWALITEITSMEDEWERKER.value,
            password_hash=NO_PASSWORD,
            active=True,
            password_changed_at=now,
            created_at=now,
            changed_at=now,
        )
        for name in names
        if name not in existing
    )
    session.flush()


def review_every_item(
    session, sample_id: int, errors: dict[int, Decimal], catalogue: Catalogue, reviewer: str = "anna"
) -> None:  # type: ignore[no-untyped-def]
    """Assign every item of the sample to ``reviewer`` and hand it in through the review service, with the
    answers a reviewer who knows the truth gives: ``errors`` maps an item's position (0-based) to what was
    paid too much (negative: too little)."""
    reviews = sorted(
        create_reviews(session, sample_id, [reviewer], actor="teamleider"), key=lambda r: r.sample_item_id
    )
    for position, review in enumerate(reviews):
        item = session.get(SampleItem, review.sample_item_id)
        error = errors.get(position, Decimal("0.00"))
        checklist = item_checklist(session, review, catalogue)
        found = books_amount(checklist.automated)  # an automated finding confirmed carries the error
        answers = simulated_answers(
            checklist.controls,
            item.book_value,
            *((0, None) if found else (error, "NORM_ONJUIST" if error else None)),
        ) | simulated_automated(checklist.automated, error)
        save_review(
            session,
            review.id,
            ReviewInput(answers, "mens" if error else None),
            actor=reviewer,
            expected_version=review.version,
            submit=True,
            source="web",
            catalogue=catalogue,
        )
