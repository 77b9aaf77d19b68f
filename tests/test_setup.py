"""The project set-up: dependency lists in step, the command line, the module layering."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names of PyPI packages, where they differ.
CONDA_NAMES = {"duckdb": "python-duckdb"}


def _norm(requirement: str) -> str:
    name = re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")
    rest = requirement.strip()[len(name) :]
    rest = re.sub(r"^\[[^\]]*\]", "", rest)
    return CONDA_NAMES.get(name, name) + rest.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_norm(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    # dask[distributed] on PyPI is two packages on conda-forge.
    if "dask>=2024.1" in wanted:
        wanted |= {"distributed>=2024.1"}
    have = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            have |= {_norm(r) for r in dep["pip"] if not r.startswith("-e")}
        elif not dep.startswith(("python", "pip")) or dep.startswith("python-"):
            have.add(_norm(dep))
    assert have == wanted


COMMANDS = ["corpus", "quantities", "extract", "evaluate", "build"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(command):
    args = [sys.executable, "-m", "analysis", *([command] if command else []), "--help"]
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "usage:" in r.stdout


def test_the_command_line_is_built_without_pandas_or_duckdb():
    """Every command builds the whole parser, a build with nothing to do too: it must not
    import the extraction's machinery (a second of imports)."""
    code = (
        "import sys; from analysis.cli import build_parser; build_parser(); "
        "print('pandas' in sys.modules, 'duckdb' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "False"]


def test_installed_entry_point():
    exe = Path(sys.executable).with_name("union-reports")
    r = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "union-reports" in r.stdout


# Imports flow one way: text <- corpus <- facts <- store <- charts/tables <- build <- cli.
LAYER = {
    "errors": 0, "paths": 0, "options": 0, "cache": 0.5, "files": 0.5, "numerals": 0, "lexicon": 1, "text": 1, "periods": 1, "modality": 1,
    "gazetteer": 1, "segment": 1.2, "metadata": 2, "corpus": 3, "quantities": 2, "indicators": 2,
    "frames": 3, "regions": 1.5, "series": 1,
    "extraction": 6, "distributed": 7, "pipeline": 8,
    "facts": 4, "evaluate": 5, "store": 5, "tables": 6, "charts": 7, "reports": 9, "build": 10,
    "cli": 11, "__main__": 12, "__init__": 12,
}  # fmt: skip
NOTEBOOK_MACHINERY = {"papermill", "nbformat", "nbclient", "nbconvert", "IPython", "jupyter_client"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:  # from . import x: a module, or a name of the package's __init__
                    found |= {a.name if a.name in LAYER else "__init__" for a in node.names}
            elif node.module:
                found.add("ext:" + node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {"ext:" + a.name.split(".")[0] for a in node.names}
    return found


@pytest.mark.parametrize("module", sorted(p.stem for p in (ROOT / "analysis").glob("*.py")))
def test_imports_flow_one_way(module):
    assert module in LAYER, f"add analysis/{module}.py to LAYER in this test"
    for dep in _imports(ROOT / "analysis" / f"{module}.py"):
        if dep.startswith("ext:"):
            if dep[4:] in NOTEBOOK_MACHINERY:
                assert module in ("build", "reports"), (
                    f"{module} imports {dep[4:]}: only build.py may"
                )
            if dep[4:] == "jieba":
                assert module == "segment"
            if dep[4:] == "cpca":
                assert module == "gazetteer"
            continue
        assert LAYER[dep] < LAYER[module] or dep == "__init__", (
            f"{module} imports {dep}, a later layer"
        )
