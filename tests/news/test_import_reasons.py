import re
from pathlib import Path

from django.utils.translation import override

from news.import_reasons import REASONS, import_reason

IMPORTING = Path(__file__).resolve().parents[2] / "news" / "importing"


def codes_the_importer_reports() -> set[str]:
    found = set()
    for module in IMPORTING.glob("*.py"):
        found |= set(re.findall(r'(?<![a-z_])code="([a-z_]+)"', module.read_text()))
        found |= set(re.findall(r'error_code="([a-z_]+)"', module.read_text()))
    found |= set(
        re.findall(r'QUEUE_UNAVAILABLE = "([a-z_]+)"', (IMPORTING.parent / "queue.py").read_text())
    )
    return found


def test_every_failure_code_of_the_importer_has_a_reason():
    codes = codes_the_importer_reports()
    assert {"timeout", "malformed_feed", "orphan_text", "queue_unavailable"} <= codes
    assert codes - set(REASONS) == set()


def test_reasons_are_in_the_readers_language_and_unknown_codes_have_none():
    with override("ru"):
        assert import_reason("timeout") == "Источник не ответил вовремя."
    with override("kk"):
        assert import_reason("timeout") == "Дереккөз уақытында жауап бермеді."
    assert import_reason("timeout") == "The source did not answer in time."
    assert import_reason("no_such_code") == ""
    assert import_reason("") == ""
