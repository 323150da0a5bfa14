"""Evidence of a review: uploaded documents stored by content address, or references to the dossier system.

A document is written once under ``<store>/<first two hex digits>/<sha256>``: the name is its own
SHA-256, so a file can never be overwritten by a different one, and the same document uploaded
twice is stored once. The row in ``review_evidence`` keeps the name the user gave it, the size,
who uploaded it and when. Adding and opening evidence is written to the audit trail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.audit import record
from kic.review.models import BEZIG, TE_DOEN, Review, ReviewEvidence
from kic.review.service import ReviewError

MAX_NAME = 255


class EvidenceError(ReviewError):
    """Evidence cannot be added or opened; the message is Dutch."""


def add_document(
    session: Session,
    review_id: int,
    file_name: str,
    content: bytes,
    *,
    store: Path,
    actor: str,
    address: str | None = None,
) -> ReviewEvidence:
    """Store ``content`` by its SHA-256 (never overwriting) and link it to the review."""
    review = _open_review(session, review_id, actor)
    name = Path(file_name.replace("\\", "/")).name.strip()[:MAX_NAME]
    if not name or not content:
        raise EvidenceError("kies een bestand dat niet leeg is")
    digest = hashlib.sha256(content).hexdigest()
    _write_once(store, digest, content)
    evidence = ReviewEvidence(
        review_id=review.id,
        file_name=name,
        sha256=digest,
        size=len(content),
        uploaded_by=actor,
        uploaded_at=datetime.now(UTC),
    )
    return _add(session, evidence, address, {"bestand": name, "sha256": digest, "grootte": len(content)})


def add_reference(
    session: Session, review_id: int, reference: str, *, actor: str, address: str | None = None
) -> ReviewEvidence:
    """Link a reference to a document in the dossier system (a number or a path there)."""
    review = _open_review(session, review_id, actor)
    text = reference.strip()
    if not text:
        raise EvidenceError("vul een verwijzing naar het dossiersysteem in")
    evidence = ReviewEvidence(
        review_id=review.id, reference=text[:1000], uploaded_by=actor, uploaded_at=datetime.now(UTC)
    )
    return _add(session, evidence, address, {"verwijzing": evidence.reference})


def evidence_of(session: Session, review_id: int) -> list[ReviewEvidence]:
    return list(
        session.scalars(
            select(ReviewEvidence).where(ReviewEvidence.review_id == review_id).order_by(ReviewEvidence.id)
        )
    )


def open_document(
    session: Session, evidence_id: int, *, store: Path, actor: str, address: str | None = None
) -> tuple[ReviewEvidence, bytes]:
    """The content of a stored document, after checking it still has its hash; the opening is logged."""
    evidence = session.get(ReviewEvidence, evidence_id)
    if evidence is None or evidence.sha256 is None:
        raise EvidenceError(f"bewijsstuk {evidence_id} bestaat niet of is een verwijzing")
    path = stored_path(store, evidence.sha256)
    content = path.read_bytes() if path.is_file() else b""
    if hashlib.sha256(content).hexdigest() != evidence.sha256:
        raise EvidenceError(f"het bestand van bewijsstuk {evidence_id} ontbreekt of is gewijzigd")
    record(
        session,
        actor=actor,
        action="bewijs.inzien",
        object_type="review",
        object_id=evidence.review_id,
        after={"bewijsstuk": evidence.id, "sha256": evidence.sha256},
        address=address,
    )
    return evidence, content


def stored_path(store: Path, digest: str) -> Path:
    return store / digest[:2] / digest


def _open_review(session: Session, review_id: int, actor: str) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise EvidenceError(f"beoordeling {review_id} bestaat niet")
    if actor != review.reviewer or review.status not in (TE_DOEN, BEZIG):
        raise EvidenceError("alleen de beoordelaar voegt bewijs toe, zolang de beoordeling niet is ingediend")
    return review


def _write_once(store: Path, digest: str, content: bytes) -> None:
    """Write through a temporary file and a hard link: an existing file is never replaced."""
    path = stored_path(store, digest)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.chmod(temporary, 0o440)
        with contextlib.suppress(FileExistsError):  # the same content arrived at the same moment
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _add(session: Session, evidence: ReviewEvidence, address: str | None, after: dict) -> ReviewEvidence:
    session.add(evidence)
    session.flush()
    record(
        session,
        actor=evidence.uploaded_by,
        action="bewijs.toevoegen",
        object_type="review",
        object_id=evidence.review_id,
        after={"bewijsstuk": evidence.id, **after},
        address=address,
    )
    return evidence
