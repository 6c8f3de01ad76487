from datetime import timedelta
from pathlib import Path

import time_machine
from django.core.management import call_command
from django.utils import timezone

from .helpers import Status, article_in

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def test_once_publishes_the_due_releases_and_leaves_the_rest_scheduled(db, agency):
    due = article_in(
        Status.SCHEDULED, agency=agency, publish_at=timezone.now() + timedelta(hours=1)
    )
    later = article_in(
        Status.SCHEDULED, agency=agency, publish_at=timezone.now() + timedelta(days=1)
    )
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        call_command("run_schedule", "--once")
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (Status.PUBLISHED, Status.SCHEDULED)
    assert due.transitions.filter(name="publish", actor=None).exists()


def test_the_demo_runs_the_schedule_beside_the_server():
    demo = MAKEFILE.read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py run_schedule &" in demo
    assert demo.index("run_schedule") < demo.index("runserver")
