"""Fine-tuning MiniLM on intents: the TensorFlow network is the numpy encoder's, and tuning separates intents."""

from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from bot.components.minilm_tuning import TuningConfig, _Network, fine_tune
from knowledge_base.encoder import Encoder, model_dir

def test_the_untuned_network_gives_the_numpy_encoders_vectors() -> None:
    import json

    import tensorflow as tf

    path = model_dir()
    network = _Network(load_file(str(path / "model.safetensors")), json.loads((path / "config.json").read_text()),
                       2, TuningConfig())
    encoder = Encoder()
    texts = ["hi", "where is my order SA-100231 and when does it arrive", "refund please"]
    encodings = encoder.tokenizer.encode_batch(texts)  # padded to the longest text, as a training batch is
    ids = tf.constant([e.ids for e in encodings], tf.int32)
    mask = tf.constant([e.attention_mask for e in encodings], tf.float32)
    vectors = network.encode(ids, mask, training=False).numpy()
    np.testing.assert_allclose(vectors, encoder.encode(texts), atol=2e-5)


def _margin(encoder: Encoder, where: list, refund: list) -> float:
    """Mean same-intent cosine minus mean cross-intent cosine."""
    a, b = encoder.encode(where), encoder.encode(refund)
    same = (np.mean(a @ a.T) + np.mean(b @ b.T)) / 2
    return float(same - np.mean(a @ b.T))


def test_fine_tuning_pulls_each_intent_together_and_stores_only_tuned_tensors(tmp_path: Path, two_intents) -> None:
    where, refund = two_intents["track"], two_intents["refund"]
    out = fine_tune(where + refund, ["track"] * len(where) + ["refund"] * len(refund), tmp_path / "tuned.safetensors",
                    TuningConfig(epochs=3, batch_size=4, learning_rate=3e-4), log=lambda _: None)
    tuned = load_file(str(out))
    assert "embeddings.word_embeddings.weight" not in tuned  # frozen, read from the wheel
    assert "encoder.layer.5.output.dense.weight" in tuned
    assert tuned["encoder.layer.0.attention.self.query.weight"].shape == (384, 384)  # the file's [out, in]
    assert _margin(Encoder(overrides=out), where, refund) > _margin(Encoder(), where, refund) + 0.05


def test_fine_tuning_refuses_mismatched_input(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        fine_tune(["a", "b"], ["x"], tmp_path / "t.safetensors")
    with pytest.raises(ValueError):
        fine_tune([], [], tmp_path / "t.safetensors")
