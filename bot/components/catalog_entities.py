"""Recognise the shop's own brand, category and product names with a spaCy EntityRuler.

At training time the patterns come from the live catalog (`commerce.catalog.terms` writes them to
`var/catalog_terms.json` before `rasa train`), so a product the shop adds is recognised after the next
training without new examples. The pipeline is a blank English spaCy pipeline saved inside the Rasa
model: nothing is downloaded.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)
LABELS = ("brand", "category", "product")


def _variants(label: str, term: str) -> List[str]:
    """The term plus a singular/plural variant for category names ("Tents" -> "tent")."""
    term = " ".join(term.split())
    out = [term]
    if label == "category":
        if term.lower().endswith("s") and len(term) > 3:
            out.append(term[:-1])
        else:
            out.append(term + "s")
    return out


def build_patterns(terms: Dict[str, List[str]]) -> List[Dict[str, Any]]:
    patterns, seen = [], set()
    # Longer names first so "Kestrel Audio" wins over "Kestrel" when both are brands.
    for label in LABELS:
        for term in sorted(terms.get(label, []), key=len, reverse=True):
            for variant in _variants(label, term):
                key = (label, variant.lower())
                if len(variant) >= 3 and key not in seen:
                    seen.add(key)
                    patterns.append({"label": label, "pattern": variant})
    return patterns


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class CatalogEntityExtractor(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"terms_file": "var/catalog_terms.json"}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 nlp: Optional["spacy.language.Language"] = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._nlp = nlp

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CatalogEntityExtractor":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "CatalogEntityExtractor":
        try:
            with model_storage.read_from(resource) as directory:
                nlp = spacy.load(directory / "spacy")
        except ValueError:
            logger.warning("CatalogEntityExtractor has no trained patterns; it will recognise nothing.")
            nlp = None
        return cls(config, model_storage, resource, nlp)

    def train(self, training_data: TrainingData) -> Resource:
        path = Path(self._config["terms_file"])
        if not path.exists():
            raise FileNotFoundError(
                f"{path} is missing: export the catalog first (python -m commerce.catalog.terms --out {path})"
            )
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(build_patterns(json.loads(path.read_text())))
        with self._model_storage.write_to(self._resource) as directory:
            nlp.to_disk(directory / "spacy")
        self._nlp = nlp
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self._nlp is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            existing = message.get(ENTITIES, [])
            taken = [(e["start"], e["end"]) for e in existing if "start" in e]
            found = []
            for ent in self._nlp(text[:2000]).ents:
                if any(ent.start_char < end and start < ent.end_char for start, end in taken):
                    continue  # another extractor already claimed this span
                found.append({"entity": ent.label_, "value": ent.text, "start": ent.start_char,
                              "end": ent.end_char, "confidence_entity": 1.0})
            message.set(ENTITIES, existing + self.add_extractor_name(found), add_to_output=True)
        return messages
