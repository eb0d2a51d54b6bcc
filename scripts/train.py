"""Train the Rasa model only when its inputs changed.

    python3 scripts/train.py [--force]

The fingerprint covers config.yml, domain/, training_data/, bot/components/ (custom graph components), the
sentence encoder, the bot's lock file and the catalog terms exported for the entity recogniser. It is stored next to the model, so a fresh clone (no model) always trains.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
MODEL = MODELS / "shopassist.tar.gz"
STAMP = MODELS / "shopassist.fingerprint"
INPUTS = ["config.yml", "domain", "training_data", "bot/components", "knowledge_base/encoder.py",
          "requirements/bot.txt", "var/catalog_terms.json"]


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = ROOT / name
        if not path.exists():
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if "__pycache__" in f.parts:
                continue
            digest.update(str(f.relative_to(ROOT)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


def main() -> int:
    want = fingerprint()
    if "--force" not in sys.argv and MODEL.exists() and STAMP.exists() and STAMP.read_text().strip() == want:
        print("[train] model is up to date (fingerprint unchanged); skipping training")
        return 0
    print("[train] training the Rasa model (inputs changed or no model yet)...", flush=True)
    started = time.monotonic()
    MODELS.mkdir(exist_ok=True)
    STAMP.unlink(missing_ok=True)
    cmd = [
        str(ROOT / ".venv/bot/bin/rasa"), "train",
        "--config", "config.yml", "--domain", "domain", "--data", "training_data",
        "--out", str(MODELS), "--fixed-model-name", "shopassist",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    result = subprocess.run(cmd, cwd=ROOT, env=env)
    if result.returncode != 0:
        return result.returncode
    STAMP.write_text(want + "\n")
    print(f"[train] done in {time.monotonic() - started:.0f}s -> {MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
