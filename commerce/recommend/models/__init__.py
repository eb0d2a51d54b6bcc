"""Every recommender, registered by name for loading: popularity, itemknn, als, sasrec, hybrid."""

from commerce.recommend.models.als import ALS
from commerce.recommend.models.base import NotFitted, Recommender, registered
from commerce.recommend.models.hybrid import Hybrid
from commerce.recommend.models.itemknn import ItemKNN
from commerce.recommend.models.popularity import Popularity
from commerce.recommend.models.sasrec import SASRec

__all__ = ["ALS", "Hybrid", "ItemKNN", "NotFitted", "Popularity", "Recommender", "SASRec", "registered"]
