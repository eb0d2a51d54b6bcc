from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from commerce.db import get_sessionmaker
from commerce.seed import SCALES, AlreadySeeded, Sizes, seed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m commerce.seed", description="Stock the demo shop.")
    parser.add_argument("--scale", type=int, choices=SCALES, default=1, help="1 = 500 products, 2,000 customers")
    parser.add_argument("--seed", type=int, default=42, help="random seed (same seed, same shop)")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="date the data is relative to")
    parser.add_argument("--reset", action="store_true", help="delete every row first, then seed")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    with get_sessionmaker()() as session:
        try:
            result = seed(
                session, Sizes.for_scale(args.scale), seed_value=args.seed, today=args.today, reset=args.reset
            )
        except AlreadySeeded:
            print("The database already holds a shop; nothing to do. Use --reset to wipe it and seed again.")
            return 0
    summary = ", ".join(f"{n:,} {table}" for table, n in result.counts.items() if n)
    print(f"Seeded scale {args.scale} (seed {args.seed}) in {time.perf_counter() - started:.1f} s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
