from __future__ import annotations

import json

import pytest

from commerce.intent.exceptions import ModelUnavailable
from commerce.intent.model import IntentModel
from commerce.intent.store import METADATA, WEIGHTS, ArtefactStore, ModelHolder


def test_saved_artefact_is_npz_and_json_and_loads_back(store: ArtefactStore, tiny_model: IntentModel, rows_factory) -> None:
    version = store.save(tiny_model)
    folder = store.root / version
    assert sorted(p.name for p in folder.iterdir()) == [METADATA, WEIGHTS]
    metadata = json.loads((folder / METADATA).read_text())
    assert metadata["version"] == version and metadata["training"]["members"] == 2
    rows, _ = rows_factory(20, seed=7)
    assert store.load(version).predict_proba(rows).tolist() == pytest.approx(tiny_model.predict_proba(rows).tolist())


def test_versions_sort_in_time_and_old_ones_are_pruned(tmp_path, tiny_model: IntentModel) -> None:
    store = ArtefactStore(tmp_path, keep=2)
    versions = [store.save(tiny_model) for _ in range(3)]
    assert versions == sorted(versions)
    assert store.versions() == versions[1:] and store.latest() == versions[-1]


def test_holder_without_artefact_is_unavailable(holder: ModelHolder) -> None:
    with pytest.raises(ModelUnavailable):
        holder.get()


def test_holder_picks_up_a_newer_artefact(store: ArtefactStore, holder: ModelHolder, tiny_model: IntentModel) -> None:
    first = store.save(tiny_model)
    assert holder.get().version == first
    second = store.save(tiny_model)
    assert holder.get().version == second


def test_holder_checks_the_folder_only_every_interval(store: ArtefactStore, tiny_model: IntentModel) -> None:
    holder = ModelHolder(store, check_every=3600)
    first = store.save(tiny_model)
    assert holder.get().version == first
    store.save(tiny_model)
    assert holder.get().version == first
    holder.refresh()
    assert holder.get().version == store.latest()


def test_broken_newer_artefact_keeps_the_current_model(store: ArtefactStore, holder: ModelHolder,
                                                       tiny_model: IntentModel) -> None:
    good = store.save(tiny_model)
    assert holder.get().version == good
    broken = store.root / "99990101T000000000000Z"
    broken.mkdir()
    (broken / WEIGHTS).write_bytes(b"not an npz file")
    (broken / METADATA).write_text(json.dumps(store.metadata(good)))
    assert holder.get().version == good


def test_half_written_artefacts_are_invisible(store: ArtefactStore, tiny_model: IntentModel) -> None:
    (store.root / ".20990101T000000000000Z").mkdir(parents=True)
    assert store.latest() is None


def test_requests_arriving_while_the_first_load_runs_wait_for_it(store: ArtefactStore, tiny_model: IntentModel,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    store.save(tiny_model)
    slow_load = store.load

    def load(version: str) -> IntentModel:
        time.sleep(0.3)  # a real artefact takes a moment to read; meanwhile other requests arrive
        return slow_load(version)

    monkeypatch.setattr(store, "load", load)
    holder = ModelHolder(store, check_every=60.0)
    results: list[object] = []

    def request() -> None:
        try:
            results.append(holder.get())
        except ModelUnavailable as exc:
            results.append(exc)

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
        time.sleep(0.01)
    for t in threads:
        t.join()
    assert all(isinstance(r, IntentModel) for r in results), results
