"""Models build their validators on first use (cperules._model): start-up builds none."""

import importlib
import pkgutil
import subprocess
import sys

import cperules
from cperules import _compiled_catalog
from cperules._model import FrozenModel


def _every_model() -> list[type[FrozenModel]]:
    for module in pkgutil.walk_packages(cperules.__path__, "cperules."):
        if module.name.startswith("cperules.catalogs"):
            continue
        importlib.import_module(module.name)
    found: list[type[FrozenModel]] = []
    todo = [FrozenModel]
    while todo:
        for model in todo.pop().__subclasses__():
            found.append(model)
            todo.append(model)
    return found


def test_a_model_class_default_is_what_calling_the_model_makes() -> None:
    checked = 0
    for model in _every_model():
        for name, field in model.model_fields.items():
            default = field.default
            if isinstance(default, FrozenModel):
                validated = type(default)()
                assert _compiled_catalog._same(default, validated), f"{model.__name__}.{name}"
                assert repr(default) == repr(validated)
                checked += 1
    assert checked >= 5  # Everything, Recurrence, Measure, Holder and more


def test_importing_cperules_and_loading_the_catalog_builds_no_validator() -> None:
    # A fresh interpreter: this one has built validators in other tests.
    script = (
        "import sys\n"
        "from cperules import catalog\n"
        "from cperules._model import FrozenModel\n"
        "for certification_id in catalog.ids():\n"
        "    catalog.get(certification_id)\n"
        "todo, built = [FrozenModel], []\n"
        "while todo:\n"
        "    for model in todo.pop().__subclasses__():\n"
        "        todo.append(model)\n"
        "        if model.__pydantic_complete__:\n"
        "            built.append(model.__name__)\n"
        "print(sorted(built), 'pydantic.plugin._loader' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    assert out.split() == ["[]", "False"]


def test_a_model_validates_once_its_validator_is_built_on_first_use() -> None:
    # The recursive selectors find Selector, defined after them, when first used.
    script = (
        "from cperules.selectors import AllOf, Not, category\n"
        "print(AllOf.__pydantic_complete__, Not.__pydantic_complete__)\n"
        "selector = AllOf(selectors=(category('A'), Not(selector=category('B'))))\n"
        "print(AllOf.__pydantic_complete__, selector.depth)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    assert out.split() == ["False", "False", "True", "3"]
