"""The PostgreSQL the multi-instance work builds on (issue 14), as the tests get it: a real
server started by the test session (as the postgres user when running as root), reachable on
loopback, and the two primitives the outbox and the turns will rely on."""

from __future__ import annotations

import psycopg


def test_the_throwaway_cluster_answers_on_loopback(postgres_url: str) -> None:
    assert "@127.0.0.1:" in postgres_url
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        version = conn.execute("show server_version_num").fetchone()
        assert version is not None and int(version[0]) >= 130000
        assert conn.execute("select current_setting('listen_addresses')").fetchone() == (
            "127.0.0.1",
        )


def test_skip_locked_gives_each_claimer_a_different_row(postgres_url: str) -> None:
    # What "each outbox item is sent once, whichever instance sends it" will stand on.
    with psycopg.connect(postgres_url, autocommit=True) as setup:
        setup.execute("drop table if exists harness_outbox")
        setup.execute("create table harness_outbox (id int primary key)")
        setup.execute("insert into harness_outbox select generate_series(1, 3)")
    claim = "select id from harness_outbox order by id limit 1 for update skip locked"
    with psycopg.connect(postgres_url) as a, psycopg.connect(postgres_url) as b:
        first = a.execute(claim).fetchone()
        second = b.execute(claim).fetchone()  # a's row is locked: b skips it
        assert first == (1,) and second == (2,)


def test_an_advisory_lock_is_held_by_one_session_at_a_time(postgres_url: str) -> None:
    # What "the retention purge runs on one instance at a time" will stand on.
    with (
        psycopg.connect(postgres_url, autocommit=True) as a,
        psycopg.connect(postgres_url, autocommit=True) as b,
    ):
        assert a.execute("select pg_try_advisory_lock(42)").fetchone() == (True,)
        assert b.execute("select pg_try_advisory_lock(42)").fetchone() == (False,)
        a.execute("select pg_advisory_unlock(42)")
        assert b.execute("select pg_try_advisory_lock(42)").fetchone() == (True,)
