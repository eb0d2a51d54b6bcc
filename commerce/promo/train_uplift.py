"""Train the uplift model on the shop's logged randomised offer decisions and publish it.

    python -m commerce.promo.train_uplift [--if-changed] [--out var/models/uplift]

Until enough randomised decisions have their outcome (see commerce/promo/learning.py), it says so and the
service keeps using the prior uplift; that is not an error. The running backend picks a new version up itself.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commerce.artefacts import VersionedStore
from commerce.db import get_sessionmaker
from commerce.promo import learning


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m commerce.promo.train_uplift", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="artefact folder (default: MODELS_DIR/uplift)")
    parser.add_argument("--if-changed", action="store_true", help="do nothing when the log has not changed")
    args = parser.parse_args(argv)
    root = args.out or learning.default_root()
    with get_sessionmaker()() as session:
        try:
            version = learning.train(session, root, if_changed=args.if_changed)
        except learning.NotEnoughData as exc:
            print(f"Uplift model not trained yet: {exc}")
            return 0
    if version is None:
        print("Uplift model is current: no new randomised decisions.")
        return 0
    data = VersionedStore(root).metadata(version)["data"]
    print(f"Uplift model {version} saved in {root}: {data['decisions']:,} randomised decisions "
          f"({data['treated']:,} with an offer), order rate {data['order_rate']}, average uplift {data['average_uplift']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
