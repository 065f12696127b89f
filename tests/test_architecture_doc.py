"""docs/architecture.md is the map of the code: every path it names exists, and every
module of the app and of config/ is on it (by its path, or by its name in the bullet of
its package). A module added, moved or removed without the map fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAP = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
# Not modules a reader looks for: package markers, generated migrations, app configs.
UNMAPPED = {"__init__", "apps", "migrations", "urls", "ruff"}


def test_every_path_the_map_names_exists():
    named = set(re.findall(r"\b((?:decisions|config|tests|bench|docs)/[\w/.-]*\w)", MAP))
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert missing == [], f"docs/architecture.md names paths that do not exist: {missing}"


def modules() -> list[Path]:
    found = []
    for top in ("decisions", "config"):
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            parts = set(relative.parts)
            if parts & {"migrations", "management", "templatetags"} or path.stem in UNMAPPED:
                continue
            found.append(relative)
    return found


def test_every_module_is_on_the_map():
    words = set(re.findall(r"`([\w./]+)", MAP))
    unmapped = [
        str(path)
        for path in modules()
        if str(path) not in MAP
        and path.stem not in words
        and not any(w.endswith(f"{path.stem}.py") or w.startswith(f"{path.stem}.") for w in words)
    ]
    assert unmapped == [], f"modules missing from docs/architecture.md: {unmapped}"


def test_every_module_of_the_app_stands_in_a_layer_of_the_layering_check():
    """A module no layer names is one lint-imports does not check at all."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    named = {name for layer in layers for name in re.split(r"\s*[:|]\s*", layer)}
    app = ROOT / "decisions"
    modules = {
        path.stem if path.is_file() else path.name
        for path in app.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert modules - named - {"migrations"} == set()
