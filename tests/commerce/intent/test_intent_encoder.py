from __future__ import annotations

import json

import numpy as np
from sklearn.preprocessing import QuantileTransformer

from commerce.intent.encoder import NUMERIC, Encoder


def test_numbers_get_scikit_learns_quantile_normal_scores_after_a_json_round_trip(rows_factory) -> None:
    rows, _ = rows_factory(300)
    encoder = Encoder.from_dict(json.loads(json.dumps(Encoder.fit(rows, n_quantiles=50).to_dict())))
    raw = np.array([[float(r[n]) for n in NUMERIC] for r in rows])
    expected = QuantileTransformer(n_quantiles=50, output_distribution="normal", subsample=None).fit_transform(raw)
    np.testing.assert_allclose(encoder.encode(rows)[:, : len(NUMERIC)], expected, atol=1e-5)


def test_one_row_encodes_as_it_does_in_a_batch(rows_factory) -> None:
    rows, _ = rows_factory(200)
    encoder = Encoder.fit(rows)
    batch = encoder.encode(rows)
    for i in (0, 17, 199):
        np.testing.assert_array_equal(encoder.encode([rows[i]])[0], batch[i])


def test_rare_and_unseen_categories_share_the_other_slot(rows_factory) -> None:
    rows, _ = rows_factory(200)
    rows[0] = {**rows[0], "Browser": "Lynx"}  # seen once: below min_count
    encoder = Encoder.fit(rows, min_count=5)
    assert "Lynx" not in encoder.vocabularies["Browser"]
    columns = encoder.groups()["Browser"]
    rare = encoder.encode([rows[0]])[0, columns]
    unseen = encoder.encode([{**rows[0], "Browser": "NetSurf"}])[0, columns]
    assert rare[0] == unseen[0] == 1.0 and rare.sum() == unseen.sum() == 1.0
    known = encoder.encode([{**rows[0], "Browser": "Chrome"}])[0, columns]
    assert known[0] == 0.0 and known.sum() == 1.0


def test_groups_cover_every_input_column_once(rows_factory) -> None:
    rows, _ = rows_factory(100)
    encoder = Encoder.fit(rows)
    covered = sorted(i for columns in encoder.groups().values() for i in columns)
    assert covered == list(range(encoder.width))


def test_chosen_categories_and_positive_flags_survive_a_json_round_trip(rows_factory) -> None:
    rows, _ = rows_factory(200)
    encoder = Encoder.fit(rows, categories=("Month", "VisitorType"), positive_flags=("PageValues",))
    assert set(encoder.vocabularies) == {"Month", "VisitorType"}
    groups = encoder.groups()
    assert "Browser" not in groups and len(groups["PageValues"]) == 2  # the score and its indicator
    covered = sorted(i for columns in groups.values() for i in columns)
    assert covered == list(range(encoder.width))
    x = encoder.encode(rows)
    np.testing.assert_array_equal(x[:, groups["PageValues"][1]], [r["PageValues"] > 0 for r in rows])
    restored = Encoder.from_dict(json.loads(json.dumps(encoder.to_dict())))
    np.testing.assert_array_equal(restored.encode(rows), x)


def test_encoder_saved_before_positive_flags_existed_still_loads(rows_factory) -> None:
    rows, _ = rows_factory(100)
    encoder = Encoder.fit(rows)
    old = {k: v for k, v in encoder.to_dict().items() if k != "positive_flags"}
    np.testing.assert_array_equal(Encoder.from_dict(old).encode(rows), encoder.encode(rows))
