"""The contract every recommender keeps, run against each model (after implicit's RecommenderBase tests)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from commerce.recommend.data import Histories
from commerce.recommend.models import ALS, Hybrid, ItemKNN, NotFitted, Popularity, Recommender, SASRec
from commerce.recommend.models.base import CONFIG, WEIGHTS
from tests.commerce.recommend.synthetic import GROUP_A, GROUP_B, N_ITEMS, two_groups

SMALL_ALS = {"factors": 8, "iterations": 8, "regularization": 0.1, "alpha": 10.0}
SMALL_SASREC = {"max_len": 8, "dim": 16, "heads": 2, "blocks": 1, "dropout": 0.1, "negatives": None,
                "learning_rate": 0.01, "epochs": 30, "batch_size": 32}


class RecommenderContract:
    """What every model must do."""

    @classmethod
    def make(cls) -> Recommender:
        raise NotImplementedError

    @pytest.fixture(scope="class")
    @classmethod
    def fitted(cls) -> Recommender:
        return cls.make().fit(two_groups())

    def test_scores_every_item_for_every_history(self, fitted: Recommender) -> None:
        scores = fitted.score(two_groups(shoppers=5, seed=1))
        assert scores.shape == (5, N_ITEMS) and scores.dtype == np.float32
        assert np.all(np.isfinite(scores))

    def test_recommend_returns_the_best_unseen_items_best_first(self, fitted: Recommender) -> None:
        histories = Histories.from_sequences([[0, 1, 2], [13, 14]], N_ITEMS)
        items, scores = fitted.recommend(histories, k=5)
        assert items.shape == scores.shape == (2, 5)
        assert not set(items[0]) & {0, 1, 2} and not set(items[1]) & {13, 14}
        assert np.all(np.diff(scores, axis=1) <= 0)
        np.testing.assert_allclose(scores, np.take_along_axis(fitted.score(histories), items, axis=1), rtol=1e-6)

    def test_item_similarity_is_part_of_similar_items(self, fitted: Recommender) -> None:
        similarity = fitted.similar_items(np.array([0, 12]))
        assert similarity.shape == (2, N_ITEMS)
        np.testing.assert_allclose(fitted.item_similarity(np.array([0, 12]), np.array([3, 20])),
                                   similarity[:, [3, 20]], rtol=1e-5, atol=1e-6)

    def test_save_and_load_without_pickle_give_the_same_scores(self, fitted: Recommender, tmp_path: Path) -> None:
        fitted.save(tmp_path)
        with np.load(tmp_path / WEIGHTS, allow_pickle=False) as arrays:
            assert all(arrays[name].dtype != object for name in arrays.files)
        assert (tmp_path / CONFIG).read_text().startswith("{")
        loaded = Recommender.load(tmp_path)
        assert type(loaded) is type(fitted) and loaded.params == fitted.params
        histories = two_groups(shoppers=6, seed=2)
        np.testing.assert_allclose(loaded.score(histories), fitted.score(histories), rtol=1e-5, atol=1e-6)

    def test_refuses_to_score_before_fitting_or_for_another_catalog(self, fitted: Recommender) -> None:
        with pytest.raises(NotFitted):
            self.make().score(two_groups(shoppers=2))
        with pytest.raises(ValueError):
            fitted.score(Histories.from_sequences([[0, 1]], N_ITEMS + 1))


class PersonalisingContract(RecommenderContract):
    """What every model that learns from histories must do besides."""

    def test_items_of_the_shoppers_group_come_first(self, fitted: Recommender) -> None:
        items, _ = fitted.recommend(Histories.from_sequences([[0, 3, 5], [12, 15, 20]], N_ITEMS), k=4)
        assert set(items[0]) <= set(GROUP_A) and set(items[1]) <= set(GROUP_B)

    def test_a_new_event_changes_the_scores_without_refitting(self, fitted: Recommender) -> None:
        before = fitted.score(Histories.from_sequences([[0, 1]], N_ITEMS))
        after = fitted.score(Histories.from_sequences([[0, 1, 14]], N_ITEMS))
        assert not np.allclose(before, after)

    def test_similar_items_favour_the_same_group(self, fitted: Recommender) -> None:
        similarity = fitted.similar_items(np.array([0, 12]))
        assert similarity[0, GROUP_A[1:]].mean() > similarity[0, GROUP_B].mean()
        assert similarity[1, GROUP_B[1:]].mean() > similarity[1, GROUP_A].mean()


class TestPopularity(RecommenderContract):
    @classmethod
    def make(cls) -> Recommender:
        return Popularity()

    def test_ranks_by_weighted_interactions_for_everyone(self) -> None:
        model = Popularity().fit(Histories.from_sequences([[2, 2, 1], [2, 1, 0]], 4, [[1, 1, 1], [1, 1, 5]]))
        items, _ = model.recommend(Histories.from_sequences([[], [3]], 4), k=3, exclude_seen=False)
        assert items.tolist() == [[0, 2, 1], [0, 2, 1]]


class TestItemKNN(PersonalisingContract):
    @classmethod
    def make(cls) -> Recommender:
        return ItemKNN(neighbours=10)


class TestALS(PersonalisingContract):
    @classmethod
    def make(cls) -> Recommender:
        return ALS(**SMALL_ALS)

    def test_closed_form_fold_in_equals_implicits_solve(self, fitted: Recommender) -> None:
        histories = two_groups(shoppers=20, length=12, seed=3)
        ours = fitted.user_factors(histories)
        theirs = fitted._als.recalculate_user(np.arange(len(histories)), histories.matrix(fitted.params["decay"]))
        assert np.allclose(ours, theirs, atol=1e-5)


class TestSASRec(PersonalisingContract):
    @classmethod
    def make(cls) -> Recommender:
        return SASRec(**SMALL_SASREC)


class TestHybrid(PersonalisingContract):
    @classmethod
    def make(cls) -> Recommender:
        return Hybrid(components=[
            {"model": "als", "weight": 0.5, "params": SMALL_ALS},
            {"model": "itemknn", "weight": 0.5, "params": {"neighbours": 10}},
        ])

    def test_keeps_the_components_full_parameters(self) -> None:
        assert self.make().params["components"][1]["params"] == {"neighbours": 10, "decay": ItemKNN.defaults["decay"]}
        with pytest.raises(ValueError):
            Hybrid(components=[{"model": "hybrid", "weight": 1.0}])


def test_unknown_parameters_are_refused() -> None:
    with pytest.raises(TypeError, match="factor"):
        ALS(factor=3)
