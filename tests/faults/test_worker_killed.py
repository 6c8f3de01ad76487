"""A worker killed with SIGKILL in the middle of an import: after a restart, the task comes
back from Redis and every release is imported exactly once."""

import time

import pytest

from .conftest import (
    VISIBILITY_TIMEOUT,
    imported_ids,
    pressroom_env,
    queue_upload,
    run_state,
    wait_until,
    write_digest,
)

pytestmark = pytest.mark.faults

RELEASES = 3000
CHUNK = 100  # news.importing.saving.CHUNK: what one transaction commits


def test_a_killed_worker_s_import_resumes_and_imports_each_release_once(
    tmp_path, database, private_redis, start_worker
):
    env = pressroom_env(database, private_redis.url)
    digest = write_digest(tmp_path / "releases.txt", RELEASES)
    queued = queue_upload(env, digest)
    run_id = queued["run"]
    assert queued["error_code"] == ""
    assert run_state(database, run_id)["status"] == "queued"

    first = start_worker(env)

    def two_chunks_committed():
        """The first worker has committed some chunks of the run."""
        return run_state(database, run_id)["processed"] >= 2 * CHUNK

    wait_until(two_chunks_committed, interval=0.02)
    first.kill()
    at_kill = run_state(database, run_id)
    assert at_kill["status"] == "running"
    assert at_kill["processed"] < RELEASES, "the import finished before the kill"
    committed = len(imported_ids(database))
    assert committed % CHUNK == 0 and committed >= 2 * CHUNK  # whole chunks, nothing half

    # Redis hands the unacknowledged task on once its visibility timeout has passed; a
    # worker looks for such tasks when it starts (then about every 100 s).
    time.sleep(VISIBILITY_TIMEOUT + 1)
    second = start_worker(env)

    def finished():
        """The run ended."""
        return run_state(database, run_id)["status"] not in ("queued", "running")

    wait_until(finished, interval=0.2, context=second.output)
    ids = imported_ids(database)
    assert len(ids) == RELEASES
    assert sorted(ids) == sorted(str(5_000_000 + n) for n in range(RELEASES))
    final = run_state(database, run_id)
    # The re-delivered task resumed the same run: what the killed worker had committed is
    # found unchanged, the rest is created.
    assert final["status"] == "succeeded", final
    assert final["processed"] == RELEASES
    assert final["unchanged"] >= committed
    assert final["created"] + final["unchanged"] == RELEASES
    assert (final["updated"], final["failed"]) == (0, 0)
    assert "import_uploaded_file[" in second.output()
