import io
import sqlite3
import tarfile

import psycopg
import pytest
from django.db import connection

from news.models import Article
from scripts import backup

from ..factories import ArticleFactory
from ..s3 import BUCKET, s3_client, s3_environment


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


# --- the media library's files ----------------------------------------------------------


def media_files(root) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def sqlite_site(tmp_path, monkeypatch):
    """A site on SQLite whose media are in a folder of its own."""
    live = tmp_path / "db.sqlite3"
    with sqlite3.connect(live) as database:
        database.execute("create table media_library_image (file text)")
    media = tmp_path / "media"
    (media / "images").mkdir(parents=True)
    (media / "images" / "3f2a.jpg").write_bytes(b"\xff\xd8 a photo")
    (media / "documents").mkdir()
    (media / "documents" / "9c1b.pdf").write_bytes(b"%PDF-1.4 a report")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{live}")
    monkeypatch.setenv("PRESSROOM_MEDIA_ROOT", str(media))
    monkeypatch.delenv("PRESSROOM_MEDIA_S3_BUCKET", raising=False)
    return live, media


def test_a_backup_takes_the_media_files_and_a_restore_puts_them_back(tmp_path, sqlite_site):
    live, media = sqlite_site
    expected = media_files(media)
    dump = tmp_path / "backups" / "site.sqlite3"

    assert backup.main(["backup", str(dump)]) == 0
    assert backup.media_archive(dump).name == "site.media.tar"

    live.unlink()
    for path in media.rglob("*.*"):
        path.unlink()
    assert backup.main(["restore", str(dump)]) == 0
    assert media_files(media) == expected


def test_a_restore_will_not_overwrite_media_files_by_accident(tmp_path, sqlite_site, capsys):
    live, _media = sqlite_site
    dump = tmp_path / "site.sqlite3"
    backup.main(["backup", str(dump)])
    live.unlink()  # an empty database, but the media folder still has files

    assert backup.main(["restore", str(dump)]) == 1
    assert "--replace" in capsys.readouterr().err
    assert not live.exists()  # refused before the database was touched

    assert backup.main(["restore", str(dump), "--replace"]) == 0


def test_a_media_archive_cannot_write_outside_the_media_folder(tmp_path, sqlite_site):
    archive = tmp_path / "evil.media.tar"
    with tarfile.open(archive, "w") as tar:
        member = tarfile.TarInfo("../outside.txt")
        member.size = 4
        tar.addfile(member, io.BytesIO(b"evil"))

    with pytest.raises(tarfile.OutsideDestinationError):
        backup.restore_media(archive, replace=True)
    assert not (tmp_path / "outside.txt").exists()


def test_media_on_s3_are_backed_up_from_and_restored_into_the_bucket(
    tmp_path, monkeypatch, s3_endpoint
):
    for name, value in s3_environment(s3_endpoint, "backup-test").items():
        monkeypatch.setenv(name, value)
    client = s3_client(s3_endpoint)
    client.put_object(Bucket=BUCKET, Key="backup-test/images/a1.jpg", Body=b"photo")
    client.put_object(Bucket=BUCKET, Key="backup-test/renditions/b2.webp", Body=b"webp")
    archive = tmp_path / "site.media.tar"

    assert backup.backup_media(archive) == 2
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == ["images/a1.jpg", "renditions/b2.webp"]

    with pytest.raises(backup.BackupError, match="--replace"):
        backup.restore_media(archive)
    for key in ("backup-test/images/a1.jpg", "backup-test/renditions/b2.webp"):
        client.delete_object(Bucket=BUCKET, Key=key)
    assert backup.restore_media(archive) == 2
    restored = client.get_object(Bucket=BUCKET, Key="backup-test/images/a1.jpg")
    assert restored["Body"].read() == b"photo"
