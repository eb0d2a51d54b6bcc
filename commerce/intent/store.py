"""Intent-model artefacts (commerce/artefacts.py): `weights.npz` (the networks' layers, loaded with
allow_pickle=False) and `metadata.json` (feature schema, encoder, calibration, metrics, data fingerprint), and the
holder the scoring routes read the newest one from."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from commerce.artefacts import METADATA, WEIGHTS, Reloader, VersionedStore
from commerce.config import get_settings
from commerce.intent.exceptions import ModelUnavailable
from commerce.intent.model import IntentModel

__all__ = ["METADATA", "WEIGHTS", "ArtefactStore", "ModelHolder", "default_root", "get_holder", "process_holder"]


class ArtefactStore(VersionedStore):
    def save(self, model: IntentModel) -> str:
        return self.save_arrays(model.arrays(), model.metadata())

    def load(self, version: str) -> IntentModel:
        return IntentModel.from_artefact(self.load_arrays(version), self.metadata(version))


class ModelHolder(Reloader[IntentModel]):
    """The model requests are scored with (503 model_unavailable until one is trained)."""

    def __init__(self, store: ArtefactStore, check_every: float = 2.0) -> None:
        super().__init__(store, lambda version: store.load(version), "intent model", check_every)

    def get(self) -> IntentModel:
        model = self.current()
        if model is None:
            raise ModelUnavailable()
        return model


def default_root() -> Path:
    return get_settings().MODELS_DIR / "intent"


@lru_cache
def process_holder() -> ModelHolder:
    return ModelHolder(ArtefactStore(default_root()))


async def get_holder() -> ModelHolder:
    """The routes' dependency: async, so resolving it costs no thread-pool hop."""
    return process_holder()
