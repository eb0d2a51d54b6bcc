"""Reviewed shopper messages as Rasa 3 NLU training data:
`python -m commerce.analytics.export_training --out training_data/nlu/reviewed.yml`.

Only messages a reviewer saved as examples in the conversation review (`nlu_corrections`, status `example`)
are written, with their corrected text, intent and entity markup ([words](entity)). One example per text:
when two reviewed messages read the same, the later review wins. Examples whose text is already in the
training data (other files than the output) are left out and reported, so the training data never holds one
text under two intents. The YAML is written by a YAML library (quoting and escaping are its job), the same
document the review page offers as a download ("YAML patch").
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.analytics.models import CorrectionStatus, NluCorrection
from commerce.analytics.review import ENTITY_REGEX, ROOT, markup_of

VERSION = "3.1"
DEFAULT_OUT = ROOT / "training_data" / "nlu" / "reviewed.yml"
HEADER = ("# Shopper messages corrected in the conversation review (/admin/analytics/review).\n"
          "# Written by: python -m commerce.analytics.export_training --out training_data/nlu/reviewed.yml\n")


@dataclass(frozen=True)
class Example:
    intent: str
    text: str  # plain text
    markup: str  # with [words](entity) markup


@dataclass(frozen=True)
class Skipped:
    example: Example
    reason: str


def reviewed_examples(session: Session) -> list[Example]:
    """Every reviewed example, oldest review first; of equal texts only the latest review."""
    rows = session.scalars(select(NluCorrection).where(NluCorrection.status == CorrectionStatus.EXAMPLE)
                           .order_by(NluCorrection.reviewed_at, NluCorrection.id))
    latest: dict[str, Example] = {}
    for row in rows:
        markup = markup_of(row)
        if markup is None or not row.intent or row.text is None:
            continue
        latest.pop(row.text, None)  # re-inserted: keeps review order
        latest[row.text] = Example(row.intent, row.text, markup)
    return list(latest.values())


def _plain(example_line: str) -> str:
    return ENTITY_REGEX.sub(lambda m: m.group("entity_text"), example_line)


def existing_examples(training_dir: Path, exclude: Path | None = None) -> dict[str, tuple[str, str]]:
    """Plain text -> (intent, file) of the NLU examples under a training-data folder (Rasa YAML files)."""
    found: dict[str, tuple[str, str]] = {}
    if not training_dir.is_dir():
        return found
    skip = exclude.resolve() if exclude else None
    for file in sorted(p for p in training_dir.rglob("*") if p.suffix in (".yml", ".yaml")):
        if skip is not None and file.resolve() == skip:
            continue
        try:
            document = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        items = document.get("nlu") if isinstance(document, dict) else None
        for item in items or []:
            if not isinstance(item, dict) or not item.get("intent") or not isinstance(item.get("examples"), str):
                continue
            for line in item["examples"].splitlines():
                if line.startswith("-"):
                    found.setdefault(_plain(line[1:].strip("\n\r ")), (str(item["intent"]), str(file)))
    return found


def without_known(examples: list[Example], known: dict[str, tuple[str, str]]) -> tuple[list[Example], list[Skipped]]:
    kept, skipped = [], []
    for example in examples:
        if example.text in known:
            intent, file = known[example.text]
            what = "already an example" if intent == example.intent else f"an example of '{intent}'"
            skipped.append(Skipped(example, f"{what} in {file}"))
        else:
            kept.append(example)
    return kept, skipped


class _Block(str):
    """An examples list, written as a literal block (`|`) when YAML allows it, quoted otherwise."""


class _Quoted(str):
    """Written in double quotes, as Rasa's own files write the version."""


class _Dumper(yaml.SafeDumper):
    pass


def _block(dumper: yaml.SafeDumper, value: _Block) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


_Dumper.add_representer(_Block, _block)
_Dumper.add_representer(_Quoted, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value),
                                                                              style='"'))


def to_yaml(examples: list[Example]) -> str:
    """The Rasa 3 NLU document: version "3.1", one `- intent: … examples: |` item per intent (sorted)."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example.markup)
    document: dict[str, Any] = {"version": _Quoted(VERSION), "nlu": [
        {"intent": intent, "examples": _Block("".join(f"- {markup}\n" for markup in by_intent[intent]))}
        for intent in sorted(by_intent)]}
    return HEADER + yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)


def export(session: Session, training_dir: Path | None = ROOT / "training_data",
           exclude: Path | None = DEFAULT_OUT) -> tuple[str, list[Example], list[Skipped]]:
    """(YAML text, examples written, examples left out and why). `exclude`: the file this export replaces."""
    examples = reviewed_examples(session)
    skipped: list[Skipped] = []
    if training_dir is not None:
        examples, skipped = without_known(examples, existing_examples(training_dir, exclude))
    return to_yaml(examples), examples, skipped


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="e.g. training_data/nlu/reviewed.yml")
    parser.add_argument("--training-data", type=Path, default=ROOT / "training_data",
                        help="examples already here are left out (default: the repository's training_data)")
    args = parser.parse_args(argv)
    from commerce.db import get_sessionmaker

    with get_sessionmaker()() as session:
        text, written, skipped = export(session, args.training_data, exclude=args.out)
    write_atomically(args.out, text)
    print(f"wrote {len(written)} reviewed examples to {args.out}")
    for item in skipped:
        print(f"left out \"{item.example.text}\" ({item.example.intent}): {item.reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
