"""`make audit`'s reading of pip-audit: vulnerabilities fail, an unreachable service is
said plainly and fails only with --strict."""

import pytest

from scripts import audit_dependencies

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2", "5.1.10"], "description": "…"}],
}
NOT_FOUND = {"name": "amqp", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def fake_pip_audit(monkeypatch, returncode, dependencies, stderr=""):
    report = None if dependencies is None else {"dependencies": dependencies, "fixes": []}
    monkeypatch.setattr(
        audit_dependencies, "run_pip_audit", lambda requirements: (returncode, report, stderr)
    )


def test_a_vulnerability_fails_and_names_the_fixed_versions(monkeypatch, capsys):
    fake_pip_audit(monkeypatch, 1, [CLEAN | {"name": "celery"}, VULNERABLE])
    assert audit_dependencies.main([]) == 1
    output = capsys.readouterr().out
    assert "django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2, 5.1.10)" in output
    assert "1 of 2 pinned packages are vulnerable" in output


def test_no_vulnerability_passes(monkeypatch, capsys):
    fake_pip_audit(monkeypatch, 0, [CLEAN])
    assert audit_dependencies.main([]) == 0
    assert "no known vulnerabilities in 1 pinned packages" in capsys.readouterr().out


@pytest.mark.parametrize(("arguments", "status"), [([], 0), (["--strict"], 1)])
def test_an_unreachable_service_is_reported_as_not_audited(monkeypatch, capsys, arguments, status):
    fake_pip_audit(monkeypatch, 0, [NOT_FOUND, NOT_FOUND | {"name": "django"}])
    assert audit_dependencies.main(arguments) == status
    output = capsys.readouterr().out
    assert "NOT AUDITED, none of the 2 pinned packages" in output
    assert "not reachable" in output


def test_some_packages_missing_from_pypi_are_named(monkeypatch, capsys):
    fake_pip_audit(monkeypatch, 0, [NOT_FOUND, CLEAN])
    assert audit_dependencies.main([]) == 0
    output = capsys.readouterr().out
    assert "not found on PyPI: amqp" in output
    assert "no known vulnerabilities in the other 1 pinned packages" in output


def test_pip_audit_that_cannot_run_is_not_taken_for_a_clean_audit(monkeypatch, capsys):
    fake_pip_audit(
        monkeypatch, 1, None, stderr="Traceback:\n  ...\nConnectionError: name resolution failed\n"
    )
    assert audit_dependencies.main([]) == 0
    assert audit_dependencies.main(["--strict"]) == 1
    output = capsys.readouterr().out
    assert "NOT AUDITED, it could not reach the vulnerability service: ConnectionError" in output
    assert "Traceback" not in output


def test_pip_audit_failing_for_another_reason_fails(monkeypatch, capsys):
    fake_pip_audit(monkeypatch, 1, None, stderr="ERROR: Invalid requirement: 'django=='\n")
    assert audit_dependencies.main([]) == 1
    assert "pip-audit failed:\nERROR: Invalid requirement" in capsys.readouterr().out


def test_pip_audit_failing_without_a_vulnerability_fails(monkeypatch):
    fake_pip_audit(monkeypatch, 1, [CLEAN], stderr="invalid requirement")
    assert audit_dependencies.main([]) == 1
