"""The journey on real servers: rounds start by themselves (one process, and two
processes sharing PostgreSQL and Redis), and leaving a group in a real browser."""

from __future__ import annotations

import copy
import gc
import itertools
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from accounts.models import Role
from accounts.service import register_user
from app import create_app
from db import db
from matching import service as matching
from matching.models import MatchRound, Proposal, ProposalMember, Response
from notifications.models import Notification
from profiles import service as profiles
from tests.conftest import POSTGRES_SERVER, migrate, postgres_reachable, recreate_postgres_database
from tests.e2e.chat_clients import PASSWORD, log_in_browser, show_room_options
from tests.e2e.cluster import REDIS_SERVER, Cluster, RedisServer, require
from tests.e2e.conftest import LiveServer
from tests.matching.conftest import BASE_DOCUMENT, STYLES

pytestmark = pytest.mark.live


def seed_people(database_url: str, prefix: str, n: int, **changes: Any) -> list[str]:
    """People with complete profiles who have not joined the pool yet."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    handles = [f"{prefix}{index}" for index in range(n)]
    with app.app_context():
        for index, handle in enumerate(handles):
            user = register_user(handle, PASSWORD, role=Role.MEMBER)
            document = copy.deepcopy(BASE_DOCUMENT) | changes
            document["talk_style"] = STYLES[index % len(STYLES)]
            profiles.save_profile(user, document)
        db.session.commit()
        db.engine.dispose()
    return handles


def logged_in(base_url: str, handle: str) -> tuple[requests.Session, str]:
    """A logged-in HTTP session and its CSRF token (the caller closes the session)."""
    http = requests.Session()
    token = http.get(f"{base_url}/api/v1/csrf", timeout=30).json()["csrf_token"]
    response = http.post(
        f"{base_url}/account/login",
        data={"handle": handle, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text
    token = http.get(f"{base_url}/api/v1/csrf", timeout=30).json()["csrf_token"]
    return http, token


def join(base_url: str, session: tuple[requests.Session, str]) -> None:
    """What the wizard's last step does: POST /api/v1/pool."""
    http, token = session
    joined = http.post(f"{base_url}/api/v1/pool", headers={"X-CSRFToken": token}, timeout=30)
    assert joined.status_code == 200, joined.text
    assert joined.json()["waiting"] is True


def join_together(base_url: str, handles: list[str]) -> float:
    """Everyone logs in, then all join the pool at once; returns when they joined
    (``time.monotonic()`` just before the first join)."""
    sessions = [logged_in(base_url, handle) for handle in handles]
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
            list(pool.map(lambda session: join(base_url, session), sessions))
        return started
    finally:
        for http, _token in sessions:
            http.close()


def holding_a_proposal(database_url: str, handles: list[str]) -> int:
    from accounts.models import User

    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return int(
                session.scalar(
                    select(func.count(func.distinct(ProposalMember.user_id)))
                    .join(User, User.id == ProposalMember.user_id)
                    .where(User.handle.in_(handles), ProposalMember.response == Response.PENDING)
                )
                or 0
            )
    finally:
        engine.dispose()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("interval", ["0.1", "10"], ids=["every-6-seconds", "default-10-minutes"])
def test_six_people_join_the_pool_and_all_hold_a_proposal_with_no_cli_call(
    start_live_server: Callable[..., LiveServer], database_url: str, interval: str
) -> None:
    server = start_live_server(MATCH_INTERVAL_MINUTES=interval)
    handles = seed_people(database_url, f"joiner{interval.replace('.', '')}x", 6)
    started = join_together(server.url, handles)
    # With the default interval the next scheduled round is ten minutes away: the
    # pool reaching quorum is what starts this one (checked every 15 s per process).
    wait_for(
        lambda: holding_a_proposal(database_url, handles) == 6,
        timeout=90,
        what=f"all six to hold a proposal\n{server.log()}",
    )
    print(  # the figure the closing note reports
        f"\nMATCH_INTERVAL_MINUTES={interval}: six joined -> all six hold a proposal "
        f"in {time.monotonic() - started:.1f} s"
    )
    assert "Traceback" not in server.log()


# --- two processes, one round per tick ---------------------------------------------

CLUSTER_DATABASE = "hearth_journey_cluster_test"


@pytest.fixture
def journey_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cluster]:
    require(postgres_reachable(), f"PostgreSQL not reachable at {POSTGRES_SERVER}")
    require(Path(REDIS_SERVER).exists(), "redis-server is not installed")
    url = f"{POSTGRES_SERVER}/{CLUSTER_DATABASE}"
    recreate_postgres_database(url)
    migrate(url)
    redis = RedisServer(tmp_path)
    redis.start()
    monkeypatch.setenv("MATCH_INTERVAL_MINUTES", "0.1")
    made = Cluster(database_url=url, redis=redis, workdir=tmp_path)
    yield made
    made.stop_all()
    redis.stop()
    gc.collect()


@pytest.mark.postgres
@pytest.mark.redis
def test_two_server_processes_run_exactly_one_round_per_tick(journey_cluster: Cluster) -> None:
    journey_cluster.start("one")
    journey_cluster.start("two")
    handles = seed_people(journey_cluster.database_url, "clusterjoiner", 3)
    join_together(journey_cluster.servers[1].url, handles)
    engine = create_engine(journey_cluster.database_url)

    def started_ats() -> list[Any]:
        with Session(engine) as session:
            return list(session.scalars(select(MatchRound.started_at).order_by(MatchRound.id)))

    try:
        wait_for(
            lambda: holding_a_proposal(journey_cluster.database_url, handles) == 3,
            timeout=120,
            what="the three to hold a proposal",
        )
        wait_for(lambda: len(started_ats()) >= 5, timeout=120, what="five scheduled rounds")
        times = started_ats()
        with Session(engine) as session:
            proposals = session.scalar(select(func.count()).select_from(Proposal))
            holders = session.scalar(
                select(func.count(func.distinct(ProposalMember.user_id))).select_from(
                    ProposalMember
                )
            )
    finally:
        engine.dispose()
    # Each round pushes the shared next tick one interval ahead, under the lease: two
    # processes ticking never start two rounds for one tick.
    # (The pool's quorum would start a round sooner, but never within 30 s of the last.)
    interval = timedelta(minutes=0.1)
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert all(gap >= interval for gap in gaps), gaps
    assert proposals == 1  # the three who joined were proposed once, not once per process
    assert holders == 3
    for server in journey_cluster.servers:
        assert server.alive()
        assert "Traceback" not in server.log()


# --- leaving, in a real browser ----------------------------------------------------


def open_group_room(database_url: str, handles: list[str]) -> int:
    """The three say yes to their proposal; the room opens. Returns its id."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        from accounts.service import find_by_handle

        users = [find_by_handle(h) for h in handles]
        for user in users:
            assert user is not None
            profiles.join_pool(user)
        db.session.commit()  # the round's lease is taken on its own connection
        summary = matching.run_round()
        db.session.commit()
        proposal = db.session.get(Proposal, summary.groups[0]["proposal_id"])
        assert proposal is not None
        for user in users:
            assert user is not None
            matching.accept(proposal, user)
        db.session.commit()
        room_id = proposal.room_id
        db.engine.dispose()
    assert room_id is not None
    return room_id


@pytest.mark.browser
@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 800}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_leaving_a_group_offers_the_pool_again_with_no_dead_link(
    new_page: Callable[..., Any], live_server: LiveServer, viewport: dict[str, int]
) -> None:
    tag = "d" if viewport["width"] > 800 else "p"
    handles = seed_people(live_server.database_url, f"leaver{tag}", 3)
    room_id = open_group_room(live_server.database_url, handles)
    page = new_page(viewport=viewport)
    log_in_browser(page, handles[0])
    assert page.url.endswith("/groups")  # members land on their groups page
    page.goto(f"/rooms/{room_id}")
    page.locator("#connection").filter(has_text="Connected").wait_for()
    show_room_options(page)  # a phone keeps "Leave" in the options sheet
    page.get_by_role("button", name="Leave this group").click()
    page.locator("#leave-form").get_by_role("button", name="Leave").click()
    page.wait_for_url("**/groups")
    assert page.get_by_role("heading", name="You've moved on from your group").is_visible()
    join = page.get_by_role("button", name="Join the waiting pool")
    assert join.is_visible()
    assert page.locator(f'a[href="/rooms/{room_id}"]').count() == 0
    # The people left behind were told, calmly, with no one's words in it.
    engine = create_engine(live_server.database_url)
    try:
        with Session(engine) as session:
            told = session.scalars(
                select(Notification.text).where(Notification.kind == "group_changed")
            ).all()
    finally:
        engine.dispose()
    assert len(told) >= 2
    join.click()
    page.wait_for_load_state()
    assert page.get_by_text("We're looking for your group").first.is_visible()


# --- /groups updates live when a round in another process proposes a group ----------


@pytest.mark.browser
def test_groups_page_updates_live_when_another_process_proposes_a_group(
    browser: Any, start_live_server: Callable[..., LiveServer]
) -> None:
    server = start_live_server(NOTIFICATIONS_POLL_SECONDS="1")
    handles = seed_people(server.database_url, "liveviewer", 3)
    for handle in handles:
        join_pool_over_http_in_db(server.database_url, handle)
    context = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        log_in_browser(page, handles[0])
        assert page.url.endswith("/groups")
        assert page.get_by_text("We're looking for your group").first.is_visible()
        page.evaluate("window.__stillTheSamePage = true")
        # A round from another process (as `flask match run` would be).
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=server.database_url)
        with app.app_context():
            summary = matching.run_round()
            db.session.commit()
            db.engine.dispose()
        assert len(summary.groups) == 1
        page.get_by_role("heading", name="We found a group for you").wait_for()
        assert page.evaluate("window.__stillTheSamePage") is True  # no reload
        assert page.locator("#groups-status").text_content()  # announced politely
        assert page.get_by_role("button", name="Yes, I'd like to join").is_visible()
    finally:
        context.close()


def join_pool_over_http_in_db(database_url: str, handle: str) -> None:
    """Put someone in the pool directly (this test is about what happens next)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        from accounts.service import find_by_handle

        user = find_by_handle(handle)
        assert user is not None
        profiles.join_pool(user)
        db.session.commit()
        db.engine.dispose()
