from __future__ import annotations

import argparse
import sys
import time

from commerce.db import get_sessionmaker
from knowledge_base.config import get_kb_settings
from knowledge_base.seed import seed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge_base.seed", description="Write the demo FAQ.")
    parser.add_argument("--reset", action="store_true", help="delete every knowledge-base row first")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with get_sessionmaker()() as session:
        result = seed(session, reset=args.reset)
    admin = get_kb_settings().ADMIN_EMAIL
    print(f"Knowledge base: {result.entries} entries written"
          f"{', admin account ' + admin + ' created' if result.admin_created else ''}"
          f" in {time.perf_counter() - started:.1f} s" + ("" if result.entries else " (entries were already there)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
