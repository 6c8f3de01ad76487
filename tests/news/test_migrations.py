"""Data migrations bring stored rows under rules added later."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import JSONField, Value

BEFORE = [("news", "0012_import_item_full_text")]
RULES = [("news", "0013_validate_sources_slugs_titles")]
JSON_NULL = Value(None, output_field=JSONField())


@pytest.fixture
def migrator(transactional_db, django_db_serialized_rollback):
    """Migrates back to before a migration; the database is at the latest state after.

    With the serialized rollback, as the worker tests: the flush after this test then
    leaves the tables empty for the next such test to restore, instead of refilling the
    content types it would restore again."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(latest)


def test_0013_cleans_sources_slugs_and_titles_so_the_constraints_hold(migrator):
    migrator.migrate(BEFORE)
    old = migrator.loader.project_state(BEFORE).apps.get_model("news", "Article")
    stored = {
        "object": old.objects.create(title="a", slug="a", language="en", sources={"x": 1}),
        "numbers": old.objects.create(title="b", slug="b", language="en", sources=[1, 2]),
        "text": old.objects.create(title="c", slug="c", language="en", sources="text"),
        # JSON null: a column that is NOT NULL still holds it.
        "null": old.objects.create(title="d", slug="d", language="en", sources=JSON_NULL),
        "mixed": old.objects.create(
            title="e",
            slug="e",
            language="en",
            sources=["https://gov.kz/a", "javascript:alert(1)", "https://gov.kz/a", 3],
        ),
        "digits": old.objects.create(title="2025", slug="2025", language="en", sources=[]),
        "taken": old.objects.create(title="x", slug="article-77", language="en", sources=[]),
        "digits-77": old.objects.create(title="77", slug="77", language="en", sources=[]),
        "title": old.objects.create(
            title="Roads\r\nrepaired\u2028today", slug="roads", language="en", sources=[]
        ),
    }

    migrator.loader.build_graph()
    migrator.migrate(RULES)

    new = migrator.loader.project_state(RULES).apps.get_model("news", "Article")
    rows = {key: new.objects.get(pk=article.pk) for key, article in stored.items()}
    assert [rows[key].sources for key in ("object", "numbers", "text", "null")] == [[]] * 4
    assert rows["mixed"].sources == ["https://gov.kz/a"]
    assert rows["digits"].slug == "article-2025"
    assert rows["digits-77"].slug == "article-77-2"
    assert rows["taken"].slug == "article-77"
    assert rows["title"].title == "Roads repaired today"
