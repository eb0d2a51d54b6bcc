"""The UCI Online Shoppers dataset as feature rows of commerce.intent.features (read at benchmark time from
../shared/datasets; its rows never enter the repository)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from commerce.config import REPO_ROOT
from commerce.intent.features import FEATURES, Row

DATASETS = REPO_ROOT.parent / "shared" / "datasets"
DEV_FILE = "purchase_intent/online_shoppers_intention_dev.csv"
MONTHS = {name: i for i, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "June", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
VISITORS = {"Returning_Visitor": "returning", "New_Visitor": "new", "Other": "other"}


def verify(datasets: Path, relative: str) -> Path:
    """The dataset file, after checking it against the folder's SHA256SUMS."""
    path = datasets / relative
    sums = dict(reversed(line.split(maxsplit=1)) for line in (datasets / "SHA256SUMS").read_text().splitlines() if line)
    expected = sums.get(relative)
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if expected != actual:
        raise SystemExit(f"{path} does not match SHA256SUMS ({actual} != {expected})")
    return path


def load(datasets: Path = DATASETS) -> tuple[list[Row], np.ndarray]:
    frame = pd.read_csv(verify(datasets, DEV_FILE))
    frame["Month"] = frame["Month"].map(MONTHS)
    frame["VisitorType"] = frame["VisitorType"].map(VISITORS)
    if frame[["Month", "VisitorType"]].isna().any().any():
        raise SystemExit("unexpected Month or VisitorType values in the dataset")
    for name in ("OperatingSystems", "Browser", "Region", "TrafficType"):
        frame[name] = frame[name].astype(str)
    rows = frame[list(FEATURES)].to_dict("records")
    return rows, frame["Revenue"].astype(int).to_numpy()
