"""Data migrations bring stored rows under rules added later."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import JSONField, Value
from django.utils import timezone

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


FLAG_DETAILS = [("news", "0014_flag_details_unique_run_task")]


def test_0014_turns_stored_notes_into_details_and_keeps_one_run_per_task(migrator):
    from django.utils import translation

    from news.flags import flag_note

    migrator.migrate(RULES)
    old_apps = migrator.loader.project_state(RULES).apps
    article = old_apps.get_model("news", "Article").objects.create(
        title="a", slug="a", language="en", sources=[]
    )
    Flag = old_apps.get_model("news", "ArticleFlag")
    notes = {
        "region_unresolved": "No region could be found.",
        "agency_unresolved": "Agency “aqmola-burabay” was new to Pressroom; it was created "
        "inactive for review.",
        "body_truncated": "The body was too long and was cut; the whole release is kept in "
        "import run #12 (line 3).",
        "region_guessed": "Guessed Almaty from place names in the text.",
    }
    for code, note in notes.items():
        Flag.objects.create(article=article, code=code, note=note)
    Run = old_apps.get_model("news", "ImportRun")
    first, second = (Run.objects.create(input_name="x", task_id="beat-1") for _ in range(2))
    Run.objects.create(input_name="command")
    Run.objects.create(input_name="command")

    migrator.loader.build_graph()
    migrator.migrate(FLAG_DETAILS)

    new_apps = migrator.loader.project_state(FLAG_DETAILS).apps
    details = dict(new_apps.get_model("news", "ArticleFlag").objects.values_list("code", "details"))
    assert details == {
        "region_unresolved": {},
        "agency_unresolved": {"new_agency": "aqmola-burabay"},
        "body_truncated": {"run": 12, "item": "line 3"},
        "region_guessed": {"text": "Guessed Almaty from place names in the text."},
    }
    with translation.override("ru"):
        assert flag_note("agency_unresolved", details["agency_unresolved"]) == (
            "Ведомства «aqmola-burabay» в Pressroom не было: оно создано неактивным для проверки."
        )
    runs = new_apps.get_model("news", "ImportRun").objects
    assert runs.get(pk=first.pk).task_id == "beat-1"
    assert runs.get(pk=second.pk).task_id == ""


def test_0016_gives_plain_text_bodies_structure_and_html_bodies_the_editors_markup(migrator):
    before = [("news", "0015_public_order_indexes")]
    after = [("news", "0016_bodies_in_the_editors_structure")]
    migrator.migrate(before)
    old = migrator.loader.project_state(before).apps.get_model("news", "Article")
    # update(): the field sanitizes on save, and these rows are as older code stored them.
    stored = {
        key: old.objects.create(title=key, slug=key, language="kk", sources=[])
        for key in ("typed", "imported", "clean")
    }
    old.objects.filter(pk=stored["typed"].pk).update(
        body="Әкімдік хабарлайды:\n\n- бірінші\n- екінші\n\nТолығырақ: www.gov.kz"
    )
    old.objects.filter(pk=stored["imported"].pk).update(
        body='<h4>Тақырып</h4><p><img src="https://gov.kz/a.jpg" alt="Сурет"></p>'
    )
    old.objects.filter(pk=stored["clean"].pk).update(body="<p>Дайын мәтін.</p>")

    migrator.loader.build_graph()
    migrator.migrate(after)

    new = migrator.loader.project_state(after).apps.get_model("news", "Article")
    bodies = {key: new.objects.get(pk=article.pk).body for key, article in stored.items()}
    assert bodies == {
        "typed": (
            "<p>Әкімдік хабарлайды:</p>\n<ul><li>бірінші</li><li>екінші</li></ul>\n"
            '<p>Толығырақ: <a href="https://www.gov.kz" rel="noopener noreferrer">'
            "www.gov.kz</a></p>"
        ),
        "imported": (
            '<h3>Тақырып</h3>\n<p><a href="https://gov.kz/a.jpg" rel="noopener noreferrer">'
            "Сурет</a></p>"
        ),
        "clean": "<p>Дайын мәтін.</p>",
    }


def test_0022_keeps_only_the_source_and_the_engine_in_import_and_translation_steps(migrator):
    before = [("news", "0021_transition_overrides")]
    after = [("news", "0022_step_comments_name_only")]
    migrator.migrate(before)
    apps = migrator.loader.project_state(before).apps
    article = apps.get_model("news", "Article").objects.create(
        title="t", slug="t", language="kk", sources=[]
    )
    steps = apps.get_model("news", "ArticleTransition").objects
    comments = {
        "import": "Imported from gov.kz: akimat-shymkent",
        "translate": "Machine translation by libretranslate",
        "submit": "Imported from the shared drive, please check",  # a person's words
    }
    made = {
        name: steps.create(
            article=article, name=name, from_status="draft", to_status="in_review", comment=text
        )
        for name, text in comments.items()
    }

    migrator.loader.build_graph()
    migrator.migrate(after)

    steps = migrator.loader.project_state(after).apps.get_model("news", "ArticleTransition")
    assert {name: steps.objects.get(pk=step.pk).comment for name, step in made.items()} == {
        "import": "gov.kz: akimat-shymkent",
        "translate": "libretranslate",
        "submit": "Imported from the shared drive, please check",
    }


def test_0024_records_the_title_words_of_published_and_scheduled_releases_only(migrator):
    before = [("news", "0023_search_lexemes")]
    after = [("news", "0024_title_words")]
    migrator.migrate(before)
    articles = migrator.loader.project_state(before).apps.get_model("news", "Article").objects
    for slug, status, title in [
        ("p", "published", "Шымкентте жиын"),
        ("s", "scheduled", "Irrigation canal"),
        ("d", "draft", "Secret project"),
    ]:
        articles.create(
            title=title,
            slug=slug,
            language="kk",
            sources=[],
            status=status,
            published_at=timezone.now() if status == "published" else None,
            publish_at=timezone.now() if status == "scheduled" else None,
        )

    migrator.loader.build_graph()
    migrator.migrate(after)

    words = migrator.loader.project_state(after).apps.get_model("news", "TitleWord").objects
    assert dict(words.values_list("folded", "spelling")) == {
        "шымкентте": "шымкентте",
        "жиын": "жиын",
        "irrigation": "irrigation",
        "canal": "canal",
    }
