"""The layout holds: handlers → services → domain and storage, arrows only going down.

Read from the source with `ast` (nothing is imported), so a rule broken anywhere fails here with
the module that broke it."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "storage")
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules `name` imports (at any depth in the file, typing-only ones too)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _is_handler(name: str) -> bool:
    return name.startswith("bot.handlers.") or name == "bot.handlers"


def test_no_handler_imports_storage() -> None:
    offenders = {
        n: sorted(i for i in deps if i.startswith("storage")) for n, deps in GRAPH.items() if _is_handler(n)
    }
    assert {n: deps for n, deps in offenders.items() if deps} == {}


def test_handlers_go_through_the_services_never_the_repositories() -> None:
    offenders = [
        n for n, p in MODULES.items() if _is_handler(n) and ".repo." in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_no_handler_imports_another_handler() -> None:
    shared = {"bot.handlers", "bot.handlers.common"}
    offenders = {
        n: sorted(d for d in deps if _is_handler(d) and d not in shared)
        for n, deps in GRAPH.items()
        if _is_handler(n) and n not in shared
    }
    assert {n: deps for n, deps in offenders.items() if deps} == {}


def test_the_lower_layers_never_import_the_upper_ones() -> None:
    upper = ("bot.routing", "bot.handlers", "bot.services", "bot.app", "bot.console")
    lower = [n for n in GRAPH if n.startswith(("bot.domain", "storage", "bot.flows"))]
    offenders = {n: sorted(d for d in GRAPH[n] if d.startswith(upper)) for n in lower}
    assert {n: deps for n, deps in offenders.items() if deps} == {}


def test_conversation_flows_never_touch_the_database() -> None:
    offenders = {n: sorted(d for d in deps if d.startswith("storage")) for n, deps in GRAPH.items()
                 if n.startswith("bot.flows")}  # fmt: skip
    assert {n: deps for n, deps in offenders.items() if deps} == {}


def test_the_domain_is_pure() -> None:
    offenders = {}
    for name, path in MODULES.items():
        if not name.startswith("bot.domain"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        roots = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        roots |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        bad = roots & {"telegram", "sqlalchemy", "apscheduler", "storage"}
        if bad:
            offenders[name] = sorted(bad)
    assert offenders == {}


def test_no_import_cycle() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    # a package importing its own submodules to re-export them is not a cycle worth the name
    real = [
        c for c in cycles if not all(a.startswith(b) or b.startswith(a) for a, b in itertools.pairwise(c))
    ]
    assert real == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_over_400_lines(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(ROOT)} has {lines} lines"
