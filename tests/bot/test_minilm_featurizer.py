"""The Rasa component: trains (fine-tunes) into the model storage, loads from it, and features messages.

Fine-tuning itself is tested in test_minilm_tuning.py; here `fine_tune` writes a known change to one tensor,
so the storage round trip is checked in milliseconds.
"""

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from safetensors.numpy import load_file, save_file

import bot.components.minilm_tuning as minilm_tuning
from bot.components.minilm_featurizer import MiniLMFeaturizer
from knowledge_base.encoder import model_dir

TUNED = "encoder.layer.5.output.dense.bias"


@pytest.fixture
def fake_tuning(monkeypatch):
    calls = []

    def fine_tune(texts, labels, out_file: Path, tuning, log=print):
        calls.append((list(texts), list(labels), tuning))
        bias = load_file(str(model_dir() / "model.safetensors"))[TUNED]
        # Not a constant shift: the layer norm that follows would remove it.
        save_file({TUNED: bias + np.linspace(-1, 1, bias.size, dtype=np.float32)}, str(out_file))
        return out_file

    monkeypatch.setattr(minilm_tuning, "fine_tune", fine_tune)
    return calls


def _vector(component: MiniLMFeaturizer, text: str) -> np.ndarray:
    message = Message(data={TEXT: text})
    component.process([message])
    _, sentence = message.get_dense_features(TEXT)
    return sentence.features[0]


def _storage(tmp_path: Path, name: str):
    (tmp_path / name).mkdir()
    return LocalModelStorage(tmp_path / name), Resource("minilm"), ExecutionContext(GraphSchema({}), node_name="minilm")


def _train(tmp_path: Path, name: str, epochs: int, examples: dict) -> MiniLMFeaturizer:
    storage, resource, context = _storage(tmp_path, name)
    config = {**MiniLMFeaturizer.get_default_config(), "fine_tune_epochs": epochs}
    messages = [Message(data={TEXT: t, "intent": intent}) for intent, texts in examples.items() for t in texts]
    MiniLMFeaturizer.create(config, storage, resource, context).train(TrainingData(messages))
    return MiniLMFeaturizer.load(config, storage, resource, context)


def test_a_fine_tuned_model_features_with_its_own_encoder(tmp_path: Path, two_intents, fake_tuning) -> None:
    frozen, tuned = _train(tmp_path, "frozen", 0, two_intents), _train(tmp_path, "tuned", 2, two_intents)
    assert len(fake_tuning) == 1  # epochs 0 does not tune
    texts, labels, tuning = fake_tuning[0]
    assert sorted(set(labels)) == ["refund", "track"] and len(texts) == len(labels) == 16 and tuning.epochs == 2
    a, b = _vector(frozen, "where has my parcel got to"), _vector(tuned, "where has my parcel got to")
    assert a.shape == b.shape == (384,)
    assert np.linalg.norm(a - b) > 1e-3


def test_one_intent_is_not_tuned_and_loads_the_pre_trained_encoder(tmp_path: Path, two_intents, fake_tuning) -> None:
    component = _train(tmp_path, "one", 2, {"track": two_intents["track"]})
    assert fake_tuning == []
    frozen = _train(tmp_path, "frozen", 0, two_intents)
    np.testing.assert_allclose(_vector(component, "hello"), _vector(frozen, "hello"))


def test_a_damaged_tuned_file_fails_loudly(tmp_path: Path, two_intents, fake_tuning) -> None:
    _train(tmp_path, "tuned", 2, two_intents)
    (tmp_path / "tuned" / "minilm" / "minilm_tuned.safetensors").write_bytes(b"not a safetensors file")
    storage = LocalModelStorage(tmp_path / "tuned")
    config = {**MiniLMFeaturizer.get_default_config(), "fine_tune_epochs": 2}
    with pytest.raises(RuntimeError, match="fine-tuned encoder"):
        MiniLMFeaturizer.load(config, storage, Resource("minilm"), ExecutionContext(GraphSchema({}), node_name="m"))


@pytest.mark.parametrize("bad", [{"fine_tune_epochs": -1}, {"fine_tune_batch_size": 0},
                                 {"fine_tune_learning_rate": 0}, {"scale": 0}])
def test_bad_settings_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        MiniLMFeaturizer.validate_config({**MiniLMFeaturizer.get_default_config(), **bad})
