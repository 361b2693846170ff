"""Sizes (issue 10): no module over 600 lines, no function over 60, in the apps' code.

A long function hides several steps without names; a long module, several concerns. Split
them instead of raising the limits. Migrations (generated) are not counted, nor a function's
docstring (a service's docstring lists its side effects: it should not push it to split)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("pole", "members", "projects", "labelling", "governance")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


FILES = list(python_files())


def function_lines(node) -> int:
    """The lines of a function, its docstring left out."""
    length = node.end_lineno - node.lineno + 1
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        length -= first.end_lineno - first.lineno + 1
    return length


def test_the_apps_are_read():
    assert len(FILES) > 100


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_sizes(path):
    source = path.read_text(encoding="utf-8")
    lines = len(source.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{lines} lines: split this module by concern"
    functions = [
        node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    too_long = [
        f"{node.name} (line {node.lineno}): {length} lines"
        for node in functions
        if (length := function_lines(node)) > MAX_FUNCTION_LINES
    ]
    assert not too_long, "functions over 60 lines, to split into named steps: " + "; ".join(too_long)
