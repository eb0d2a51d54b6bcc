"""Versioned model artefacts on disk, and the reloader that serves the newest one (intent, recommendations,
uplift).

A version is a directory `<root>/<version>/` holding what its model writes plus `metadata.json`. Versions are
UTC timestamps, so the newest sorts last. A version is written under a hidden name and renamed into place, so a
reader never sees half an artefact; only the newest `keep` are kept. Nothing is pickled: arrays go to npz and
are read back with allow_pickle=False.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

log = logging.getLogger(__name__)
T = TypeVar("T")
WEIGHTS, METADATA = "weights.npz", "metadata.json"


def new_version(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S%fZ")


class VersionedStore:
    def __init__(self, root: Path, keep: int = 5) -> None:
        self.root = Path(root)
        self.keep = keep

    def versions(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(e.name for e in os.scandir(self.root) if e.is_dir() and not e.name.startswith("."))

    def latest(self) -> str | None:
        versions = self.versions()
        return versions[-1] if versions else None

    def path(self, version: str) -> Path:
        return self.root / version

    def metadata(self, version: str) -> dict[str, Any]:
        return json.loads((self.root / version / METADATA).read_text())

    def publish(self, write: Callable[[Path], None], metadata: dict[str, Any], version: str | None = None) -> str:
        """`write(directory)` puts the model's files in a hidden directory, which becomes the new version with
        its metadata in one rename; older versions beyond `keep` are removed."""
        version = version or new_version()
        staging = self.root / f".{version}"
        staging.mkdir(parents=True)
        write(staging)
        metadata = {**metadata, "version": version, "created_at": datetime.now(timezone.utc).isoformat()}
        (staging / METADATA).write_text(json.dumps(metadata, indent=2, sort_keys=True))
        os.replace(staging, self.root / version)
        for old in self.versions()[: -self.keep]:
            shutil.rmtree(self.root / old, ignore_errors=True)
        return version

    def save_arrays(self, arrays: dict[str, np.ndarray], metadata: dict[str, Any], version: str | None = None) -> str:
        return self.publish(lambda directory: np.savez(directory / WEIGHTS, **arrays), metadata, version)

    def load_arrays(self, version: str) -> dict[str, np.ndarray]:
        with np.load(self.root / version / WEIGHTS, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}


class Reloader(Generic[T]):
    """What requests are served with: the newest version `load` can read. It looks for a newer one at most every
    `check_every` seconds (one directory listing now and then, not per request) and on every call while nothing
    is loaded; a version that cannot be read is logged once and skipped, and the current one keeps serving.
    Calls arriving while the first version loads wait for it instead of finding nothing."""

    def __init__(self, store: VersionedStore, load: Callable[[str], T], what: str, check_every: float = 2.0) -> None:
        self.store = store
        self.check_every = check_every
        self._load, self._what = load, what
        self._value: T | None = None
        self._version: str | None = None
        self._failed: str | None = None
        self._next_check = 0.0
        self._lock = threading.Lock()

    def current(self, now: float | None = None) -> T | None:
        now = time.monotonic() if now is None else now
        if self._value is None or now >= self._next_check:
            self._next_check = now + self.check_every
            self.refresh()
        return self._value

    def refresh(self) -> None:
        latest = self.store.latest()
        if latest is None or latest in (self._version, self._failed):
            return
        with self._lock:
            if self._version == latest:
                return
            try:
                value = self._load(latest)
            except (OSError, ValueError, KeyError) as exc:
                log.error("cannot load %s %s from %s: %s", self._what, latest, self.store.root, exc)
                self._failed = latest
                return
            self._value, self._version = value, latest
            log.info("%s %s loaded", self._what, latest)
