import sqlite3

import psycopg
import pytest
from django.db import connection

from news.models import Article
from scripts import backup

from ..factories import ArticleFactory


def url_of(database: str) -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{database}"
    )


@pytest.fixture
def empty_postgres_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = url_of("postgres")
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    yield url_of(name)
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_postgres_backup_restores_into_an_empty_database_with_every_article(
    tmp_path, empty_postgres_database
):
    ArticleFactory.create_batch(5, title="Әкімдік жаңалығы")
    ArticleFactory(title="«Слышащее государство» в Костанае", body="<p>Тело</p>")
    expected = set(Article.objects.values_list("id", "slug", "title", "body", "status"))

    dump = backup.backup(url_of(connection.settings_dict["NAME"]), tmp_path / "p.dump")
    backup.restore(empty_postgres_database, dump)

    with psycopg.connect(empty_postgres_database) as restored:
        rows = restored.execute("select id, slug, title, body, status from news_article").fetchall()
        history = restored.execute("select count(*) from news_historicalarticle").fetchone()
    assert set(rows) == expected
    assert history[0] >= len(expected)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restoring_over_a_database_with_tables_is_refused_without_replace(tmp_path):
    url = url_of(connection.settings_dict["NAME"])
    dump = backup.backup(url, tmp_path / "p.dump")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(url, dump)


def test_a_sqlite_backup_round_trips_and_will_not_overwrite_by_accident(tmp_path):
    live = tmp_path / "db.sqlite3"
    with sqlite3.connect(live) as database:
        database.execute("create table news_article (title text)")
        database.executemany("insert into news_article values (?)", [("Ә",), ("Б",)])

    dump = backup.backup(f"sqlite:///{live}", tmp_path / "backup.sqlite3")
    restored = tmp_path / "restored.sqlite3"
    backup.restore(f"sqlite:///{restored}", dump)
    with sqlite3.connect(restored) as database:
        assert database.execute("select title from news_article").fetchall() == [("Ә",), ("Б",)]
    with pytest.raises(backup.BackupError, match="--replace"):
        backup.restore(f"sqlite:///{restored}", dump)


def test_the_command_reports_a_missing_backup_and_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert backup.main(["restore", str(tmp_path / "missing.dump")]) == 1
    assert "There is no backup at" in capsys.readouterr().err
