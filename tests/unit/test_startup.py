"""Start-up: ``import cperules`` is cheap, every public name still resolves, and loading the
bundled catalog imports only what the policy models need (benchmarks/scale.py times it)."""

import json
import subprocess
import sys

import cperules

_DESCRIBE = (
    "def describe(value):\n"
    "    if isinstance(value, type) or callable(value):\n"
    "        return f'{value.__module__}.{value.__qualname__}'\n"
    "    return getattr(value, '__name__', None) or type(value).__name__\n"
)
"""What a public name is: a class's or a function's home and name, a module's name."""

_FRESH = _DESCRIBE + (
    "import json, sys\n"
    "import cperules\n"
    "imported = sorted(m for m in sys.modules if m.startswith('cperules'))\n"
    "names = {name: describe(getattr(cperules, name)) for name in cperules.__all__}\n"
    "exec('from cperules import *')\n"
    "star = sorted(n for n in cperules.__all__ if n in globals())\n"
    "print(json.dumps([imported, names, star, sorted(dir(cperules))]))\n"
)


def _run(script: str) -> object:
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def test_every_public_name_resolves_in_a_fresh_interpreter() -> None:
    found = _run(_FRESH)
    assert isinstance(found, list)
    imported, names, star, listed = found
    # Importing the package imports none of its modules: each public name comes on first use.
    assert imported == ["cperules"]
    assert set(names) == set(cperules.__all__)
    here: dict[str, object] = {}
    exec(_DESCRIBE, here)  # the same describe() as the fresh interpreter runs
    describe = here["describe"]
    assert callable(describe)
    # Each name is the same object there as here (a module, a class, a function, the version).
    assert names == {name: describe(getattr(cperules, name)) for name in cperules.__all__}
    assert names["Ledger"] == "cperules.ledger.Ledger"
    assert names["catalog"] == "cperules.catalog"
    assert star == sorted(cperules.__all__)
    assert listed == sorted(cperules.__all__)


_CATALOG = (
    "import json, sys\n"
    "from cperules import catalog\n"
    "for certification_id in catalog.ids():\n"
    "    catalog.get(certification_id)\n"
    "print(json.dumps(sorted(sys.modules)))\n"
)

_NOT_FOR_THE_CATALOG = (
    # What the precompiled catalog spares: the TOML parser, the format's merge and checks.
    "cperules.policy_format",
    "tomllib",
    # Evaluating, explaining, rendering: imported by the programs that use them.
    "cperules._engine",
    "cperules.evaluation",
    "cperules.results",
    "cperules.portfolio",
    "cperules.batch",
    "cperules.render",
    "cperules.linter",
    "cperules.describe",
    "cperules.testing",
    # The catalog on disk is read without importlib.resources; suggestions need difflib.
    "importlib.resources",
    "difflib",
)


def test_loading_the_whole_catalog_imports_only_what_its_models_need() -> None:
    modules = _run(_CATALOG)
    assert isinstance(modules, list)
    assert "cperules.policy" in modules
    assert "cperules._compiled_catalog" in modules
    loaded = [
        name
        for name in modules
        if any(name == spared or name.startswith(f"{spared}.") for spared in _NOT_FOR_THE_CATALOG)
    ]
    assert loaded == []
