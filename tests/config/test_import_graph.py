"""The project's modules form no import loop, and each imports on its own.

Function-level imports count as much as module-level ones: a loop held together by imports
inside functions still ties the modules together, and breaks as soon as one is moved.
"""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "config",
    "news",
    "agencies",
    "media_library",
    "public",
    "people",
    "outreach",
    "accreditation",
    "webhooks",
)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import module` imports the module; `from module import name`, the module.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        found |= {target for target in targets if target in modules and target != name}
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import loop as the modules along it, or [] when there is none."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[module] = "done"
        stack.pop()
        return []

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return []


def test_the_graph_sees_module_and_function_level_imports():
    graph = import_graph()
    assert "news.models" in graph["news.importing.saving"]  # at module level
    assert "news.tasks" in graph["news.apps"]  # inside ready()
    assert "news.importing.runs" in graph["news.tasks"]  # `from .importing import runs`


def test_a_loop_is_found_when_there_is_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_the_project_has_no_import_loop():
    assert find_cycle(import_graph()) == []


# Each module in a fresh child of one interpreter that has read the settings only: a module
# that needs the app registry gets Django set up first, as every entry point does.
IMPORT_EACH_ALONE = textwrap.dedent(
    """
    import importlib, os, sys, traceback
    import django
    from django.conf import settings
    from django.core.exceptions import AppRegistryNotReady

    settings.INSTALLED_APPS
    packages, names = sys.argv[1].split(","), sys.argv[2:]
    failed = 0
    for name in names:
        pid = os.fork()
        if pid == 0:
            try:
                try:
                    importlib.import_module(name)
                except AppRegistryNotReady:
                    for loaded in [m for m in sys.modules if m.split(".")[0] in packages]:
                        del sys.modules[loaded]
                    django.setup()
                    importlib.import_module(name)
            except BaseException:
                print(name, traceback.format_exc(), flush=True)
                os._exit(1)
            os._exit(0)
        failed += os.waitpid(pid, 0)[1] != 0
    sys.exit(1 if failed else 0)
    """
)


def test_each_module_imports_alone():
    names = sorted(name for name in project_modules() if ".migrations." not in name)
    done = subprocess.run(  # noqa: S603 (our own interpreter and module names)
        [sys.executable, "-c", IMPORT_EACH_ALONE, ",".join(PACKAGES), *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
