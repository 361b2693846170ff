"""The layers of docs/ARCHITECTURE (house rules), checked on every import of our code.

Our apps stand on each other in one direction: `pole` (the helpers every app uses) at the
bottom, then `members`, `projects`, `labelling`, and `governance` on top. A module may import
its own app, and a lower app through its public modules only (its models, permissions,
domain services and exceptions); never a higher app, and never a lower app's forms, views,
filters, resources, admin or other internals: what two apps share is generic and lives in
`pole`. The wiring (settings, root URLconf, Celery, WSGI) sits above everything.

The check reads the sources (the `ast` module, no import, no dependency), imports inside
functions included; migrations are left out."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Which apps each app may import (besides itself): the layers, as data.
ALLOWED = {
    "pole": set(),
    "members": {"pole"},
    "projects": {"pole", "members"},
    "labelling": {"pole", "members", "projects"},
    "governance": {"pole", "members", "projects", "labelling"},
}
APPS = tuple(ALLOWED)

# What a higher app may import from a lower one (other than pole, which is public as a whole):
# these modules (or packages) of that app, and nothing else.
PUBLIC_MODULES = ("models", "permissions", "services", "exceptions")

# The wiring: the project's top, which names every app.
WIRING = {"pole.settings", "pole.urls", "pole.celery", "pole.wsgi"}

# Imports that break the rules today, each with the work that removes it. An entry that is no
# longer needed fails `test_the_known_exceptions_are_still_needed`: delete it.
# Imports that break the rules, each with the issue that removes it; empty today.
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in `source`, the code of `module`. For
    `from a.b import c`, the name is `a.b.c` (c may be a module or a name of a.b: a prefix
    check reads both right); relative imports are resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.extend((node.lineno, f"{base}.{alias.name}" if alias.name != "*" else base) for alias in node.names)
    return found


def is_public(imported: str, app: str) -> bool:
    return any(imported == f"{app}.{name}" or imported.startswith(f"{app}.{name}.") for name in PUBLIC_MODULES)


def violations(module: str, imports: list[tuple[int, str]]) -> list[str]:
    """The imports of `module` that break the layers, as readable sentences."""
    app = module.split(".")[0]
    if app not in ALLOWED or module in WIRING:
        return []
    found = []
    for line, imported in imports:
        target = imported.split(".")[0]
        if target not in ALLOWED or target == app or (module, _module_of(imported)) in KNOWN_EXCEPTIONS:
            continue
        if target not in ALLOWED[app]:
            found.append(f"{module}:{line} imports {imported}: {app} may not import {target} (layers)")
        elif target != "pole" and not is_public(imported, target):
            found.append(
                f"{module}:{line} imports {imported}: not one of {target}'s public modules "
                f"({', '.join(PUBLIC_MODULES)}); move what is generic into pole"
            )
    return found


def _module_of(imported: str) -> str:
    """`members.forms.space.InvitationSignupForm` → `members.forms.space` (the longest
    prefix that is a file or package of ours)."""
    parts = imported.split(".")
    while parts:
        path = ROOT.joinpath(*parts)
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return imported


def our_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def all_imports():
    for path in our_modules():
        module = module_name(path)
        yield module, imported_modules(path.read_text(), module, is_package=path.name == "__init__.py")


# --- The project --------------------------------------------------------------------------------


def test_the_allowed_graph_has_no_cycle():
    try:
        order = list(TopologicalSorter(ALLOWED).static_order())
    except CycleError as error:  # pragma: no cover - fails the test with the cycle
        pytest.fail(f"the allowed imports make a cycle: {error.args[1]}")
    assert order[0] == "pole"


def test_no_module_breaks_the_layers():
    found = [sentence for module, imports in all_imports() for sentence in violations(module, imports)]
    assert found == [], "\n".join(found)


def test_the_known_exceptions_are_still_needed():
    present = {
        (module, _module_of(imported))
        for module, imports in all_imports()
        for _line, imported in imports
        if (module, _module_of(imported)) in KNOWN_EXCEPTIONS
    }
    assert present == KNOWN_EXCEPTIONS, f"no longer needed, remove: {KNOWN_EXCEPTIONS - present}"


def test_every_app_is_walked():
    modules = {module_name(path) for path in our_modules()}
    assert {"pole.links", "members.models", "projects.models", "labelling", "governance.models"} <= modules
    assert not any(".migrations" in module for module in modules)


# --- The checker itself (it must be able to fail) ----------------------------------------------


def check(module: str, source: str) -> list[str]:
    return violations(module, imported_modules(source, module))


def test_pole_importing_an_app_is_refused():
    assert check("pole.money", "from members.models import Organisation\n")
    assert check("pole.money", "def f():\n    import projects.models\n")  # inside a function too


def test_a_lower_app_importing_a_higher_one_is_refused():
    assert check("members.views.staff", "from projects.models import Project\n")
    assert check("projects.models", "from labelling.models import Review\n")
    assert check("labelling.services", "from governance import models\n")


def test_an_internal_of_another_app_is_refused():
    (sentence,) = check("projects.forms.calls", "from members.forms.applications import ApplicationForm\n")
    assert "members.forms.applications" in sentence and "pole" in sentence
    assert check("projects.views.lists", "from members.views.directory import PAGE_SIZE\n")
    assert check("labelling.admin", "from members.admin import OrganisationAdmin\n")
    assert check("labelling.views", "from members import resources\n")


def test_public_modules_of_a_lower_app_and_pole_are_allowed():
    source = (
        "from members.models import Organisation\n"
        "from members import permissions\n"
        "from members.services.memberships import transition_membership\n"
        "import members.exceptions\n"
        "from pole.forms import StyledFormMixin\n"
        "from django.db import models\n"
        "from . import helpers\n"
    )
    assert check("projects.views.lists", source) == []
    assert check("governance.services", "from projects.models import Project\nfrom labelling.models import L\n") == []


def test_relative_imports_are_resolved():
    found = imported_modules("from ..models import Project\n", "projects.views.lists")
    assert found == [(1, "projects.models.Project")]
    assert imported_modules("from .links import x\n", "pole", is_package=True) == [(1, "pole.links.x")]
