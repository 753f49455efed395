"""Web Push delivery latency on one machine: notify() commits → the push service
(a local receiver) has the encrypted, VAPID-signed request.

Run ``python -m bench.push_latency --n 50``. The app runs in this process on a fresh
SQLite file with its real dispatcher thread (woken by the commit, as in a server)
and its real push sender; the receiver is the test suite's HTTP push receiver on
127.0.0.1, which also decrypts every push to check it. The baseline is a bare
``requests`` POST of the same size to the same receiver, so the ratio says what
storing, dispatching, encrypting and signing add to one loopback request.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import requests
from flask_migrate import upgrade

from accounts.service import register_user
from app import create_app
from db import db
from notifications import dispatch, push, service
from tests.notifications.push_receiver import push_receiver

TEXT = "We found a group that might suit you. Have a look when you're ready."


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50, help="pushes to time")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder, push_receiver() as receiver:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=url,
            WEB_PUSH_ALLOWED_ENDPOINTS=(f"{receiver.url}/push/",),
            NOTIFICATIONS_POLL_SECONDS=2.0,
        )
        with app.app_context():
            upgrade()
            user = register_user("bench_person", "a calm walk by the river")
            info = push.validate_subscription(
                receiver.subscription(), app.extensions[push.EXTENSION_KEY].prefixes
            )
            push.subscribe(user, info)
            db.session.commit()
            user_id = user.id
        app.extensions[dispatch.EXTENSION_KEY].start()

        body = b"x" * 200
        baseline = []
        for _ in range(args.n):
            started = time.perf_counter()
            requests.post(f"{receiver.url}/push/baseline", data=body, timeout=5)
            baseline.append((receiver.received[-1].at - started) * 1000)

        latencies = []
        for index in range(args.n):
            before = len(receiver.received)
            with app.app_context():
                service.notify([user_id], "group_proposed", TEXT, "/groups")
                started = time.perf_counter()
                db.session.commit()
                db.session.remove()
            got = receiver.wait_for(before + 1)[before]
            assert receiver.decrypt(got)["text"] == TEXT, index
            latencies.append((got.at - started) * 1000)
        app.extensions[dispatch.EXTENSION_KEY].stop()

    median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    base_median, base_p95 = statistics.median(baseline), percentile(baseline, 0.95)
    print(f"{'':24}{'median ms':>10}{'p95 ms':>10}")
    print(f"{'push (commit→receiver)':24}{median:10.1f}{p95:10.1f}")
    print(f"{'baseline (bare POST)':24}{base_median:10.1f}{base_p95:10.1f}")
    print(f"ratio push/baseline: median {median / base_median:.1f}×, p95 {p95 / base_p95:.1f}×")


if __name__ == "__main__":
    main()
