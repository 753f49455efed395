"""Time from "six people join the pool" to "all six hold a proposal", with no CLI call.

Run ``python -m bench.journey`` (``--interval`` minutes, default 10 as in
development and production; ``--runs``). Each run starts a real ``python app.py`` on a
fresh migrated SQLite file, lets its first scheduled round pass (empty pool), then
six people with complete profiles log in and join the pool together over HTTP, and the clock
runs until every one of them holds a pending proposal. With the default interval the
next scheduled round is ten minutes away: the pool reaching quorum starts this one
(each process checks every ``matching.scheduler.POLL_SECONDS``).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tests.conftest import migrate
from tests.e2e.conftest import start_server
from tests.e2e.test_journey_live import holding_a_proposal, join_together, seed_people


def one_run(interval: str, index: int, workdir: Path) -> float:
    url = f"sqlite:///{workdir / f'journey{index}.sqlite3'}"
    migrate(url)
    server = start_server(url, workdir / f"server{index}.log", MATCH_INTERVAL_MINUTES=interval)
    try:
        handles = seed_people(url, f"bench{index}x", 6)
        time.sleep(1)  # the server's first tick (an empty round) has passed
        started = join_together(server.url, handles)
        while holding_a_proposal(url, handles) < 6:
            if time.monotonic() - started > 900:
                raise RuntimeError(f"no proposal after 15 minutes:\n{server.log()}")
            time.sleep(0.1)
        return time.monotonic() - started
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interval", default="10", help="MATCH_INTERVAL_MINUTES (default 10)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = [one_run(args.interval, i, Path(tmp)) for i in range(args.runs)]
    print(
        f"MATCH_INTERVAL_MINUTES={args.interval}: six join -> all six hold a proposal: "
        f"median {statistics.median(times):.1f} s, max {max(times):.1f} s "
        f"over {len(times)} runs ({', '.join(f'{t:.1f}' for t in times)})"
    )


if __name__ == "__main__":
    main()
