"""Chromium for the browser tests: Debian's package driven by Playwright's sync API."""

import os
import shutil

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls
# (creating articles) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, and Django keeps database
    # connections per thread or, under a running loop, per context: inside Playwright the
    # tests get new connection objects. Serialized rollback (restoring the seeded regions)
    # needs the snapshot taken at database setup on them too.
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        with django_db_blocker.unblock():
            connections.close_all()  # else the test database cannot be dropped at the end
