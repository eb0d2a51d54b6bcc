"""The exported training data as Rasa 3.6 itself reads it (the bot's environment, .venv/bot): Rasa's YAML reader
finds exactly the reviewed texts, intents and entity spans, and `rasa data validate` passes with the file
added to a copy of training_data/ (the repository's folder is not touched)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.analytics import export_training, ingest, review
from commerce.analytics.models import ConversationTurn, TurnKind
from knowledge_base.audit import Actor
from knowledge_base.models import Role
from tests.commerce.analytics import story

ROOT = Path(__file__).resolve().parents[3]
BOT_BIN = ROOT / ".venv" / "bot" / "bin"
EDITOR = Actor(3, "editor@example.com", Role.EDITOR)
READER = """
import json, sys
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
data = RasaYAMLReader().read(sys.argv[1])
print("EXAMPLES=" + json.dumps(sorted(
    [m.get("text"), m.get("intent"), [[e["start"], e["end"], e["entity"], e["value"]] for e in m.get("entities") or []]]
    for m in data.training_examples)))
"""


@pytest.fixture
def bot_env() -> Path:
    if not (BOT_BIN / "rasa").exists():
        pytest.skip("needs the bot environment (.venv/bot, `make envs`)")
    return BOT_BIN


def test_rasa_reads_and_validates_the_export(db: Session, tracker_path: Path, tmp_path: Path, bot_env: Path) -> None:
    known = story.build(db, tracker_path)
    ingest.ingest(db)
    messages = {t.text: t for t in db.scalars(select(ConversationTurn).where(ConversationTurn.kind == TurnKind.USER))}
    tricky = "- \"quoted\": it's #1 & naïve {x}: 100% | > *star* @home ..."
    review.save(db, messages["recommend a tent, mail me at [email]"].id, EDITOR,
                text="recommend a tent, mail me at sam@example.net", intent="product_search",
                spans=[review.Span(12, 16, "product"), review.Span(29, 44, "email")])
    review.save(db, messages["do you ship to mars"].id, EDITOR, text="where is SA-100001: my [blue] tent?",
                intent="track_order", spans=[review.Span(9, 18, "order_number")])
    review.save(db, messages["how long is delivery"].id, EDITOR, text=tricky, intent="delivery_period")
    review.save(db, messages["blorp"].id, EDITOR, drop=True)
    assert known.c1

    text, written, skipped = export_training.export(db)  # checked against the repository's training data
    assert len(written) == 3 and skipped == []
    data = tmp_path / "training_data"
    shutil.copytree(ROOT / "training_data", data)
    (data / "nlu" / "reviewed.yml").write_text(text, encoding="utf-8")

    read = subprocess.run([str(bot_env / "python"), "-c", READER, str(data / "nlu" / "reviewed.yml")],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert read.returncode == 0, read.stderr[-3000:]
    examples = json.loads(next(line for line in read.stdout.splitlines() if line.startswith("EXAMPLES="))[9:])
    assert examples == sorted([
        ["recommend a tent, mail me at sam@example.net", "product_search",
         [[12, 16, "product", "tent"], [29, 44, "email", "sam@example.net"]]],
        ["where is SA-100001: my [blue] tent?", "track_order", [[9, 18, "order_number", "SA-100001"]]],
        [tricky, "delivery_period", []],
    ])

    validated = subprocess.run(
        [str(bot_env / "rasa"), "data", "validate", "--domain", str(ROOT / "domain"), "--data", str(data),
         "--config", str(ROOT / "config.yml")], capture_output=True, text=True, timeout=600, cwd=ROOT)
    output = validated.stdout + validated.stderr
    assert validated.returncode == 0, output[-5000:]
    assert "Validating intents" in output and "Project validation completed with errors" not in output
    assert "reviewed.yml" not in output  # no warning about the file (an example skipped, a bad item, …)
    for example in ("sam@example.net", "SA-100001: my", "quoted"):
        assert example not in output  # not labelled with two intents, nothing misread
