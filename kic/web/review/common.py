"""What the review views share: the blueprint, the cached catalogue and item frames, finding a review
the user may see."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import pandas as pd
from flask import Blueprint, abort, current_app, g
from sqlalchemy import select

from kic.controls.frame import ROW
from kic.controls.loader import Catalogue, load_catalogue
from kic.review.models import Review
from kic.review.queries import may_read
from kic.review.service import item_frame, item_frame_key, items_frame, open_payment_rows
from kic.samples.models import Sample
from kic.users import Role
from kic.web.database import db
from kic.web.security import in_scope

bp = Blueprint("review", __name__)
K, T, A = Role.KWALITEITSMEDEWERKER, Role.TEAMLEIDER, Role.ACCOUNTANT


def catalogue() -> Catalogue:
    """The shipped catalogue, read once per app (it changes only with a new release or restart)."""
    if "kic_catalogue" not in current_app.extensions:
        current_app.extensions["kic_catalogue"] = load_catalogue(current_app.config.get("CONTROLS_DIR"))
    return current_app.extensions["kic_catalogue"]


@bp.app_template_filter("oorzaak")
def cause_label(code: str | None) -> str:
    """A cause code as the reviewer chose it: "proces – Werkproces of instructie" (the code alone when
    the catalogue no longer knows it, '-' when none was given)."""
    if not code:
        return "-"
    label = catalogue().cause_labels().get(code)
    return f"{code} – {label}" if label else code


class ItemFrames:
    """The control frames of the items being worked on, kept per app (least recently used go first).

    Building an item's one-row control frame (``kic.review.service.item_frame``: two reads and pandas
    conversions of some forty columns) was most of the CPU time of the item page and of saving, and a
    reviewer opens, saves and submits the same item several times. Building it for many items costs
    little more than for one (38 ms CPU for one row, 52 ms for sixty), so when an item is missing the frame
    is built at once for every item open to its reviewer (at most ``batch``), and each item keeps its row
    of that frame (a frame of a hundred rows takes some hundreds of kilobytes). An item is kept under
    ``item_frame_key``, which changes when another beschikkingen snapshot becomes active, so a kept row
    is always what ``item_frame`` would build now. Every request gets its own one-row copy.
    """

    def __init__(self, size: int = 2048, batch: int = 100) -> None:
        self.size, self.batch = size, batch
        self._rows: OrderedDict[tuple, tuple[pd.DataFrame, int]] = OrderedDict()
        self._lock = threading.Lock()

    def frame(self, review: Review) -> pd.DataFrame:
        key = item_frame_key(db(), review)
        row_id, active = key
        if row_id is None:  # a sampled beschikking: built when asked, not kept
            return item_frame(db(), review)
        with self._lock:
            kept = self._rows.get(key)
            if kept is not None:
                self._rows.move_to_end(key)
        if kept is None:
            rows = [row_id] + [r for r in open_payment_rows(db(), review.reviewer, self.batch) if r != row_id]
            frame = items_frame(db(), rows)
            with self._lock:
                for position, built in enumerate(frame[ROW].tolist()):
                    self._rows[(int(built), active)] = (frame, position)
                while len(self._rows) > self.size:
                    self._rows.popitem(last=False)
            kept = (frame, frame[ROW].tolist().index(row_id))
        frame, position = kept
        return frame.iloc[[position]].reset_index(drop=True)


def frame_of(review: Review) -> pd.DataFrame:
    """The item's control frame (see ItemFrames)."""
    if "kic_item_frames" not in current_app.extensions:
        current_app.extensions["kic_item_frames"] = ItemFrames()
    return current_app.extensions["kic_item_frames"].frame(review)


def evidence_store() -> Path:
    return Path(current_app.config.get("EVIDENCE_FOLDER") or Path(current_app.instance_path) / "bewijs")


def readable_review(review_id: int) -> Review:
    """The review, if it exists and is of a gemeente the user works for (404), and this user may see it (403)."""
    review = db().get(Review, review_id)
    if review is None:
        abort(404)
    in_scope(db().scalar(select(Sample.gemeente).where(Sample.id == review.sample_id)))
    if not may_read(review, g.user):
        abort(403)
    return review
