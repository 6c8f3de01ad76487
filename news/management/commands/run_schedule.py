"""Publish scheduled releases when their time comes, where Celery beat does not run.

Production runs beat (docker-compose.yml), which publishes due releases every minute. The
embedded default (`make demo`: no Redis, no beat) runs this beside the server instead, so a
release scheduled in the admin goes live and reads "published" there at its time, its
author emailed as in production. `--once` publishes what is due and stops (for cron).
"""

import time

from django.core.management.base import BaseCommand

from news import workflow


class Command(BaseCommand):
    help = "Publish scheduled releases as their time comes (where Celery beat does not run)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="publish what is due and stop")

    def handle(self, *args, interval, once, **options):
        while True:
            published = workflow.publish_due_articles()
            if published:
                self.stdout.write(f"Published scheduled releases: {published}")
            if once:
                return
            time.sleep(interval)
