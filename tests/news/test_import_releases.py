"""`manage.py import_releases`: the same service, exit status and JSON for scripts."""

import json

import pytest
from django.core.management import call_command

from news.models import Article, ImportItem, ImportRun

from ..shared import SAMPLE_DIGEST, shared_path
from .helpers import ENORMOUS_ENDING, enormous_release

pytestmark = pytest.mark.django_db

DIGEST = (
    "Regions\n"
    "Akimat opens a new library in Kostanay 03.02.2026\n"
    "The library has ten thousand books."
    "Source : https://www.gov.kz/memleket/entities/kostanay/press/news/details/77?lang=en\n"
)


def run_command(*args, capsys):
    """Call the command; return (exit status, stdout, stderr)."""
    try:
        call_command("import_releases", *args)
        status = 0
    except SystemExit as exit:
        status = exit.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json_report_of_the_sample_then_nothing_on_a_second_run(capsys):
    path = str(shared_path("samples", SAMPLE_DIGEST.name))
    status, out, _ = run_command(path, "--json", capsys=capsys)
    assert status == 0
    assert json.loads(out) == {
        "created": 18,
        "updated": 0,
        "unchanged": 0,
        "flagged": json.loads(out)["flagged"],
        "failed": 0,
        "errors": [],
    }
    assert json.loads(out)["flagged"] >= 5

    status, out, _ = run_command(path, "--json", capsys=capsys)
    assert status == 0
    assert json.loads(out)["unchanged"] == 18
    assert json.loads(out)["created"] == 0


def test_human_report_names_counts_and_the_run(tmp_path, capsys):
    path = tmp_path / "digest.txt"
    path.write_text(DIGEST, encoding="utf-8")
    status, out, _ = run_command(str(path), capsys=capsys)
    assert status == 0
    assert "1 created, 0 updated, 0 unchanged" in out
    assert f"import run #{ImportRun.objects.get().pk}" in out


def test_a_release_cut_for_length_is_kept_whole_in_the_run(tmp_path, capsys):
    path = tmp_path / "enormous.txt"
    path.write_bytes(enormous_release("digest"))
    status, out, _ = run_command(str(path), capsys=capsys)
    assert status == 0
    assert "1 created, 0 updated, 0 unchanged, 1 flagged, 0 failed." in out
    kept = ImportItem.objects.get()
    assert (kept.run, kept.article) == (ImportRun.objects.get(), Article.objects.get())
    assert ENORMOUS_ENDING in kept.raw


def test_a_digest_with_no_release_is_unusable_input(tmp_path, capsys):
    path = tmp_path / "headings.txt"
    path.write_text("Новости\nГлавная / Пресс-центр\n", encoding="utf-8")
    status, _, err = run_command(str(path), "--format", "digest", capsys=capsys)
    assert status == 2
    assert "No release could be read" in err
    assert not ImportRun.objects.exists()


def test_dry_run_and_limit(tmp_path, capsys):
    path = tmp_path / "digest.txt"
    path.write_text(
        "".join(f"Release {n} on heating 0{n}.02.2026\nBody {n} text.\n" for n in range(1, 5)),
        encoding="utf-8",
    )
    status, out, _ = run_command(str(path), "--dry-run", "--limit", "3", "--json", capsys=capsys)
    assert (status, json.loads(out)["created"]) == (0, 3)
    assert not Article.objects.exists()


def test_default_agency_by_slug(tmp_path, capsys):
    path = tmp_path / "digest.txt"
    path.write_text("News\nAnnual report published 03.02.2026\nThe report.\n", encoding="utf-8")
    status, _, _ = run_command(str(path), "--agency", "mfa", capsys=capsys)
    assert status == 0
    assert Article.objects.get().agency.slug == "mfa"


@pytest.mark.parametrize(
    ("content", "extra", "needle"),
    [
        (None, [], "There is no file"),
        (b"\x00\xff\x00\xfe" * 100, [], "binary"),
        (b"", [], "empty"),
        (DIGEST.encode(), ["--agency", "no-such-agency"], "no-such-agency"),
    ],
)
def test_unusable_input_exits_2_with_a_message_and_writes_nothing(
    tmp_path, capsys, content, extra, needle
):
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    status, out, err = run_command(str(path), *extra, capsys=capsys)
    assert status == 2
    assert needle.lower() in (out + err).lower()
    assert not ImportRun.objects.exists()
    assert not Article.objects.exists()

    status, out, _ = run_command(str(path), *extra, "--json", capsys=capsys)
    assert status == 2
    assert json.loads(out)["errors"][0]["code"] == "unusable_input"


def test_failed_items_exit_1_and_are_listed(tmp_path, capsys, monkeypatch):
    from news.importing import articles

    def refuse(releases, context):
        raise ValueError("refused by the database")

    monkeypatch.setattr(articles, "create_articles", refuse)
    path = tmp_path / "digest.txt"
    path.write_text(DIGEST, encoding="utf-8")
    status, out, _ = run_command(str(path), "--json", capsys=capsys)
    report = json.loads(out)
    assert status == 1
    assert report["failed"] == 1
    assert report["errors"][0]["code"] == "save_failed"
    assert ImportRun.objects.get().items.get().raw.startswith("Akimat opens")


def test_a_web_address_obeys_the_same_network_rule_as_sources(capsys, settings):
    from .test_import_http import LocalServer, Reply

    with LocalServer(lambda request: Reply(body=DIGEST)) as server:
        status, _, err = run_command(server.url("/digest.txt"), capsys=capsys)
        assert status == 2
        assert "is on a private or internal network" in err
        assert server.requests == []

        # An operator allows the network for this one run (the setting comes from the
        # environment, so PRESSROOM_IMPORT_ALLOWED_NETWORKS=127.0.0.1/32 on the command line).
        settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS = ["127.0.0.1/32"]
        status, out, _ = run_command(server.url("/digest.txt"), capsys=capsys)
    assert status == 0
    assert "1 created" in out


def test_an_operator_imports_any_file_but_none_larger_than_a_download(tmp_path, capsys, settings):
    from news.importing.http import MAX_BYTES

    # The import folder binds the sources administrators configure, not the shell's
    # operator, who can read these files anyway.
    settings.PRESSROOM_IMPORT_DIR = str(tmp_path / "imports")
    path = tmp_path / "digest.txt"
    path.write_text(DIGEST, encoding="utf-8")
    assert run_command(str(path), capsys=capsys)[0] == 0

    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: nothing is written, nothing need be read
    status, _, err = run_command(str(huge), capsys=capsys)
    assert status == 2
    assert f"The file {huge} is larger than 20 MiB, so it was not read." in err
