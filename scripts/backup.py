"""Back up and restore Pressroom's database: `make backup`, `make restore FILE=…`.

Everything Pressroom keeps is in the database (articles, their history, import runs with
their raw input, translations, users), so a backup is one file:
- PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore` (the client tools
  must match the server's major version or be newer);
- SQLite (the embedded default): SQLite's online backup API, safe while the site runs.

Restoring refuses a database that already has tables unless `--replace` is given, so a
mistyped DATABASE_URL cannot overwrite a live archive.
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "db.sqlite3"


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
            print(f"Backed up to {written}")
        else:
            restore(url, args.file, replace=args.replace)
            print(f"Restored {args.file}; run `manage.py migrate` if the code is newer.")
    except (BackupError, subprocess.CalledProcessError, sqlite3.Error) as error:
        print(f"{args.command} failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
