"""PostgreSQL restarted in the middle of an import: the task loses its connection, retries
with back-off, and the run ends succeeded with every release saved once and whole."""

import psycopg
import pytest

from .conftest import imported_ids, pressroom_env, queue_upload, run_state, wait_until, write_digest

pytestmark = pytest.mark.faults

RELEASES = 3000
CHUNK = 100  # news.importing.saving.CHUNK


def test_an_import_interrupted_by_a_postgres_restart_is_retried_and_saves_each_release_once(
    tmp_path, private_postgres, database, private_redis, start_worker
):
    env = pressroom_env(database, private_redis.url)
    run_id = queue_upload(env, write_digest(tmp_path / "releases.txt", RELEASES))["run"]
    worker = start_worker(env)

    def under_way():
        """Some chunks of the run are committed."""
        return run_state(database, run_id)["processed"] >= 2 * CHUNK

    wait_until(under_way, interval=0.02, context=worker.output)
    private_postgres.restart()  # fast: every connection is terminated mid-transaction

    def finished():
        """The run ended."""
        return run_state(database, run_id)["status"] not in ("queued", "running")

    wait_until(finished, interval=0.2, context=worker.output)
    log = worker.output()
    assert "Retry in" in log, "the connection loss was not retried"
    final = run_state(database, run_id)
    assert final["status"] == "succeeded", (final, log[-3000:])
    assert (final["processed"], final["updated"], final["failed"]) == (RELEASES, 0, 0)
    assert final["created"] + final["unchanged"] == RELEASES
    assert final["unchanged"] >= 2 * CHUNK  # what was committed before the restart

    ids = imported_ids(database)
    assert sorted(ids) == sorted(str(5_000_000 + n) for n in range(RELEASES))
    with psycopg.connect(database, autocommit=True) as connection:
        # Whole: each article has its first revision and its import step, once.
        (incomplete,) = connection.execute(
            """
            SELECT count(*) FROM news_article AS article
            WHERE (SELECT count(*) FROM news_historicalarticle AS history
                   WHERE history.id = article.id AND history.history_type = '+') <> 1
               OR (SELECT count(*) FROM news_articletransition AS step
                   WHERE step.article_id = article.id AND step.name = 'import') <> 1
            """
        ).fetchone()
    assert incomplete == 0
