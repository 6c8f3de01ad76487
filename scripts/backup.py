"""Back up and restore Pressroom: `make backup`, `make restore FILE=…`.

Pressroom keeps its records in the database (articles, their history, import runs with
their raw input, translations, users) and the media library's files in its storage, so a
backup is two files side by side:
- the database: on PostgreSQL `pg_dump --format=custom`, restored with `pg_restore` (the
  client tools must match the server's major version or be newer); on SQLite (the
  embedded default) SQLite's online backup API, safe while the site runs;
- `<name>.media.tar`: every photo, rendition and document, from MEDIA_ROOT
  (PRESSROOM_MEDIA_ROOT, `media/` by default) or, when PRESSROOM_MEDIA_S3_BUCKET is set,
  from the bucket (read with the same PRESSROOM_MEDIA_S3_* settings as the site).

Restoring refuses a database that already has tables, or a media folder that has files,
unless `--replace` is given, so a mistyped DATABASE_URL cannot overwrite a live archive.
A backup's media archive is restored with it when it lies beside the database file.
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "db.sqlite3"
MEDIA_SUFFIX = ".media.tar"


class BackupError(Exception):
    pass


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in ("postgres", "postgresql", "pgsql")


def sqlite_path(url: str) -> Path:
    path = url.split("sqlite:///", 1)[-1] if url.startswith("sqlite:///") else ""
    if not path:
        raise BackupError(f"{url} is not a SQLite file this script can back up.")
    return Path(path)


def postgres_url(url: str) -> str:
    # libpq understands postgresql:// and postgres://, not Django's pgsql:// alias.
    return "postgresql://" + url.split("://", 1)[1]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools.")
    return found


def backup(url: str, output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    if is_postgres(url):
        subprocess.run(  # noqa: S603 - the installed pg_dump with our own arguments
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(output),
                "--dbname",
                postgres_url(url),
            ],
            check=True,
        )
    else:
        source_path = sqlite_path(url)
        if not source_path.exists():
            raise BackupError(f"There is no database at {source_path}.")
        with sqlite3.connect(source_path) as source, sqlite3.connect(output) as target:
            source.backup(target)
    return output


def _postgres_has_tables(url: str) -> bool:
    result = subprocess.run(  # noqa: S603 - the installed psql with our own arguments
        [
            _tool("psql"),
            "--no-psqlrc",
            "--tuples-only",
            "--no-align",
            "--dbname",
            postgres_url(url),
            "--command",
            "select count(*) from pg_tables where schemaname = 'public'",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.strip() or 0) > 0


def restore(url: str, dump: Path, *, replace: bool = False) -> None:
    if not dump.is_file():
        raise BackupError(f"There is no backup at {dump}.")
    if is_postgres(url):
        if _postgres_has_tables(url) and not replace:
            raise BackupError("The target database is not empty; pass --replace to overwrite it.")
        command = [_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction"]
        if replace:
            command += ["--clean", "--if-exists"]
        subprocess.run(  # noqa: S603 - the installed pg_restore with our own arguments
            [*command, "--dbname", postgres_url(url), str(dump)], check=True
        )
        return
    target_path = sqlite_path(url)
    if target_path.exists() and target_path.stat().st_size and not replace:
        raise BackupError(f"{target_path} exists; pass --replace to overwrite it.")
    with sqlite3.connect(dump) as source, sqlite3.connect(target_path) as target:
        source.backup(target)


# --- the media library's files ---------------------------------------------------------


def media_archive(dump: Path) -> Path:
    """The media archive that goes with the database backup `dump`."""
    return dump.with_name(dump.name.rsplit(".", 1)[0] + MEDIA_SUFFIX)


def media_root() -> Path:
    return Path(os.environ.get("PRESSROOM_MEDIA_ROOT") or ROOT / "media")


def _bucket():
    """(client, bucket, prefix) when the media are on S3, else None."""
    bucket = os.environ.get("PRESSROOM_MEDIA_S3_BUCKET", "")
    if not bucket:
        return None
    import boto3  # only with S3 storage, as the site

    client = boto3.client(
        "s3",
        endpoint_url=os.environ.get("PRESSROOM_MEDIA_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("PRESSROOM_MEDIA_S3_REGION") or None,
        aws_access_key_id=os.environ.get("PRESSROOM_MEDIA_S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=os.environ.get("PRESSROOM_MEDIA_S3_SECRET_ACCESS_KEY") or None,
    )
    prefix = os.environ.get("PRESSROOM_MEDIA_S3_PREFIX", "").strip("/")
    return client, bucket, f"{prefix}/" if prefix else ""


def backup_media(archive: Path) -> int:
    """Write every media file to the tar `archive`; returns how many."""
    count = 0
    with tarfile.open(archive, "w") as tar:
        s3 = _bucket()
        if s3 is None:
            root = media_root()
            for path in sorted(root.rglob("*")) if root.is_dir() else []:
                if path.is_file():
                    tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                    count += 1
            return count
        client, bucket, prefix = s3
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"]
                member = tarfile.TarInfo(item["Key"].removeprefix(prefix))
                member.size = item["Size"]
                tar.addfile(member, body)
                count += 1
    return count


def media_has_files() -> bool:
    s3 = _bucket()
    if s3 is None:
        root = media_root()
        return root.is_dir() and any(path.is_file() for path in root.rglob("*"))
    client, bucket, prefix = s3
    return bool(client.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1).get("KeyCount"))


def restore_media(archive: Path, *, replace: bool = False) -> int:
    """Put the files of the tar `archive` back; returns how many."""
    if media_has_files() and not replace:
        raise BackupError("The media storage has files; pass --replace to overwrite them.")
    s3 = _bucket()
    with tarfile.open(archive) as tar:
        members = [member for member in tar.getmembers() if member.isfile()]
        if s3 is None:
            root = media_root()
            root.mkdir(parents=True, exist_ok=True)
            # The "data" filter refuses absolute names, `..`, links out and device files.
            tar.extractall(root, members=members, filter="data")
            return len(members)
        client, bucket, prefix = s3
        for member in members:
            # As extracting into a folder: `..` refused, an absolute name made relative.
            name = tarfile.data_filter(member, "/media").name
            client.upload_fileobj(tar.extractfile(member), bucket, prefix + name)
    return len(members)


def default_output(url: str) -> Path:
    stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if is_postgres(url) else "sqlite3"
    return ROOT / "backups" / f"pressroom-{stamp}.{suffix}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    backup_parser = commands.add_parser("backup", help="write a backup of DATABASE_URL")
    backup_parser.add_argument("file", nargs="?", type=Path)
    restore_parser = commands.add_parser("restore", help="restore a backup into DATABASE_URL")
    restore_parser.add_argument("file", type=Path)
    restore_parser.add_argument("--replace", action="store_true")
    args = parser.parse_args(argv)
    url = database_url()
    try:
        if args.command == "backup":
            written = backup(url, args.file or default_output(url))
            files = backup_media(media_archive(written))
            print(f"Backed up to {written} and {files} media files to {media_archive(written)}")
        else:
            archive = media_archive(args.file)
            if archive.is_file() and not args.replace and media_has_files():
                raise BackupError("The media storage has files; pass --replace to overwrite them.")
            restore(url, args.file, replace=args.replace)
            if archive.is_file():
                files = restore_media(archive, replace=args.replace)
                print(f"Restored {files} media files from {archive}")
            else:
                print(f"No media archive beside the backup ({archive}): media not restored")
            print(f"Restored {args.file}; run `manage.py migrate` if the code is newer.")
    except (BackupError, subprocess.CalledProcessError, sqlite3.Error, tarfile.TarError) as error:
        print(f"{args.command} failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
