"""The shop's own training set: one feature row per recorded visit, labelled by whether it ended in a purchase."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import numpy as np
from sqlalchemy.orm import Session

from commerce.intent import repository
from commerce.intent.features import Row, is_purchase, session_row


def from_event_log(session: Session) -> tuple[list[Row], np.ndarray]:
    rows, labels = [], []
    for visit, events in repository.all_visits(session):
        rows.append(session_row(visit, events))
        labels.append(int(is_purchase(events)))
    return rows, np.array(labels, dtype=np.int64)


def fingerprint(rows: Sequence[Row], labels: np.ndarray) -> str:
    """Identifies the training data: same rows and labels, same fingerprint."""
    digest = hashlib.sha256()
    for row, label in zip(rows, labels.tolist()):
        digest.update(json.dumps([row, label], sort_keys=True, default=str).encode())
    return digest.hexdigest()
