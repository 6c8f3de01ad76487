"""Known vulnerabilities in the pinned requirements: `make audit` (pip-audit).

Exit 1 when pip-audit finds a vulnerability, naming each with its fixed versions. When the
vulnerability service cannot be asked (no network, or a PyPI mirror without the JSON API
that carries the advisories), pip-audit reports every package as "not found"; this says so
plainly and exits 0, so a CI without network is not failed by it, unless --strict is given.

Usage: python scripts/audit_dependencies.py [--strict] [requirements/dev.txt]
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
DEFAULT_REQUIREMENTS = Path(__file__).resolve().parents[1] / "requirements" / "dev.txt"
# How requests (under pip-audit) says the network let it down.
NETWORK_FAILURES = ("ConnectionError", "ProxyError", "Timeout", "NameResolutionError", "SSLError")


def run_pip_audit(requirements: Path) -> tuple[int, dict | None, str]:
    # --no-deps --disable-pip: audit exactly the pins, without building an environment.
    result = subprocess.run(  # noqa: S603 - the venv's pip-audit, fixed arguments
        [
            str(BIN / "pip-audit"),
            "--requirement",
            str(requirements),
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--timeout",
            "15",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = None
    return result.returncode, report, result.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirements", nargs="?", type=Path, default=DEFAULT_REQUIREMENTS)
    parser.add_argument(
        "--strict", action="store_true", help="fail when the packages could not be checked"
    )
    arguments = parser.parse_args(argv)
    unchecked_status = 1 if arguments.strict else 0

    returncode, report, errors = run_pip_audit(arguments.requirements)
    if report is None:
        # The traceback's last line names the cause: no network, a refused proxy, or a
        # real failure (a malformed requirements file) that must not pass as "no network".
        cause = (errors.strip().splitlines() or ["no output"])[-1]
        if not any(sign in errors for sign in NETWORK_FAILURES):
            print(f"pip-audit failed:\n{errors.strip()}")
            return 1
        print(f"pip-audit: NOT AUDITED, it could not reach the vulnerability service: {cause}")
        return unchecked_status

    dependencies = report["dependencies"]
    vulnerable = [dependency for dependency in dependencies if dependency.get("vulns")]
    skipped = [dependency for dependency in dependencies if "skip_reason" in dependency]
    for dependency in vulnerable:
        for vulnerability in dependency["vulns"]:
            fixed = ", ".join(vulnerability["fix_versions"]) or "no fixed version yet"
            print(
                f"{dependency['name']} {dependency['version']}: {vulnerability['id']} "
                f"(fixed in {fixed})"
            )
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} of {len(dependencies)} pinned packages are vulnerable")
        return 1
    if returncode != 0:
        print(f"pip-audit failed without naming a vulnerability:\n{errors.strip()}")
        return 1
    if len(skipped) == len(dependencies):
        print(
            f"pip-audit: NOT AUDITED, none of the {len(dependencies)} pinned packages could be "
            "looked up in PyPI's vulnerability data: the JSON API at pypi.org is not reachable "
            f"from here ({skipped[0]['skip_reason']})"
        )
        return unchecked_status
    if skipped:
        names = ", ".join(dependency["name"] for dependency in skipped)
        print(f"pip-audit: not audited, not found on PyPI: {names}")
        checked = len(dependencies) - len(skipped)
        print(f"pip-audit: no known vulnerabilities in the other {checked} pinned packages")
        return unchecked_status
    print(f"pip-audit: no known vulnerabilities in {len(dependencies)} pinned packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
