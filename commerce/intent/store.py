"""Versioned model artefacts on disk, and the holder that serves the newest one.

An artefact is a directory `<root>/<version>/` with `weights.npz` (loaded with allow_pickle=False) and
`metadata.json` (feature schema, encoder, calibration, metrics, data fingerprint). Versions are UTC
timestamps, so the newest sorts last. A version is written under a hidden name and renamed into place,
so a reader never sees half an artefact.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from commerce.config import get_settings
from commerce.intent.exceptions import ModelUnavailable
from commerce.intent.model import IntentModel

log = logging.getLogger(__name__)
WEIGHTS, METADATA = "weights.npz", "metadata.json"


class ArtefactStore:
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

    def save(self, model: IntentModel) -> str:
        return self.save_arrays(model.arrays(), model.metadata())

    def save_arrays(self, arrays: dict[str, np.ndarray], metadata: dict[str, Any], version: str | None = None) -> str:
        """Publish plain arrays (npz, no pickle) and their metadata as a new version, atomically; prune old ones."""
        version = version or datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        staging = self.root / f".{version}"
        staging.mkdir(parents=True)
        np.savez(staging / WEIGHTS, **arrays)
        metadata = {**metadata, "version": version, "created_at": datetime.now(timezone.utc).isoformat()}
        (staging / METADATA).write_text(json.dumps(metadata, indent=2, sort_keys=True))
        os.replace(staging, self.root / version)
        for old in self.versions()[: -self.keep]:
            shutil.rmtree(self.root / old, ignore_errors=True)
        return version

    def metadata(self, version: str) -> dict[str, Any]:
        return json.loads((self.root / version / METADATA).read_text())

    def load_arrays(self, version: str) -> dict[str, np.ndarray]:
        with np.load(self.root / version / WEIGHTS, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}

    def load(self, version: str) -> IntentModel:
        return IntentModel.from_artefact(self.load_arrays(version), self.metadata(version))


class ModelHolder:
    """The model requests are scored with; it picks up a newer artefact at most every `check_every` seconds,
    so the request path pays for one directory listing now and then, not per request."""

    def __init__(self, store: ArtefactStore, check_every: float = 2.0) -> None:
        self.store = store
        self.check_every = check_every
        self._model: IntentModel | None = None
        self._failed: str | None = None
        self._next_check = 0.0
        self._lock = threading.Lock()

    def get(self) -> IntentModel:
        now = time.monotonic()
        # Until a model is loaded every request tries (and waits on the lock while another loads it): otherwise
        # the requests arriving while the first one loads would find no model and fail with 503.
        if self._model is None or now >= self._next_check:
            self._next_check = now + self.check_every
            self.refresh()
        if self._model is None:
            raise ModelUnavailable()
        return self._model

    def refresh(self) -> None:
        latest = self.store.latest()
        current = self._model.version if self._model else None
        if latest is None or latest in (current, self._failed):
            return
        with self._lock:
            if self._model is not None and self._model.version == latest:
                return
            try:
                model = self.store.load(latest)
            except (OSError, ValueError, KeyError) as exc:
                # Keep serving the model we have; a broken artefact must not take scoring down.
                log.error("cannot load intent model %s from %s: %s", latest, self.store.root, exc)
                self._failed = latest
                return
            self._model = model
            log.info("intent model %s loaded", latest)


def default_root() -> Path:
    return get_settings().MODELS_DIR / "intent"


@lru_cache
def process_holder() -> ModelHolder:
    return ModelHolder(ArtefactStore(default_root()))


async def get_holder() -> ModelHolder:
    """The routes' dependency: async, so resolving it costs no thread-pool hop."""
    return process_holder()
