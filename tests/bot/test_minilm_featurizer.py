"""The Rasa component: trains (fine-tunes) into the model storage, loads from it, and features messages."""

from pathlib import Path

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.minilm_featurizer import MiniLMFeaturizer


def _sentence_vector(component: MiniLMFeaturizer, text: str) -> np.ndarray:
    message = Message(data={TEXT: text})
    component.process([message])
    _, sentence = message.get_dense_features(TEXT)
    return sentence.features[0]


def _trained(tmp_path: Path, epochs: int, two_intents: dict) -> MiniLMFeaturizer:
    (tmp_path / f"storage{epochs}").mkdir()
    storage = LocalModelStorage(tmp_path / f"storage{epochs}")
    resource = Resource("minilm")
    context = ExecutionContext(GraphSchema({}), node_name="minilm")
    config = {**MiniLMFeaturizer.get_default_config(), "fine_tune_epochs": epochs, "fine_tune_batch_size": 4}
    examples = [Message(data={TEXT: t, "intent": intent}) for intent, texts in two_intents.items() for t in texts]
    MiniLMFeaturizer.create(config, storage, resource, context).train(TrainingData(examples))
    return MiniLMFeaturizer.load(config, storage, resource, context)


def test_a_fine_tuned_model_features_with_its_own_encoder(tmp_path: Path, two_intents) -> None:
    frozen, tuned = _trained(tmp_path, 0, two_intents), _trained(tmp_path, 1, two_intents)
    text = "where has my parcel got to"
    a, b = _sentence_vector(frozen, text), _sentence_vector(tuned, text)
    assert a.shape == b.shape == (384,)
    assert np.linalg.norm(a - b) > 1e-3
    assert not (tmp_path / "storage0" / "minilm").exists() or not any((tmp_path / "storage0" / "minilm").iterdir())
