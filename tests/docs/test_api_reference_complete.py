"""The API reference names every public name once (issue 15, item 22).

Every name in the ``__all__`` of ``cperules`` and of its public modules (no private part
in the path; the deprecated ``allocation`` and ``display`` shims aside) is documented on
``docs/reference/api.md``: in an ``automodule``'s ``:members:`` list (or a bare
``:members:``), or by an ``autofunction``/``autoclass``/``autodata`` directive, under any
module that holds the same object.
"""

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import cperules

API = Path(__file__).parents[2] / "docs" / "reference" / "api.md"
SHIMS = {"allocation", "display", "catalogs"}


def public_modules() -> list[ModuleType]:
    found = [cperules]
    for info in pkgutil.walk_packages(cperules.__path__, "cperules."):
        parts = info.name.split(".")
        if any(part.startswith("_") for part in parts) or parts[1] in SHIMS:
            continue
        found.append(importlib.import_module(info.name))
    return found


def documented() -> list[object]:
    """Every object the page's directives document."""
    text = API.read_text(encoding="utf-8")
    objects: list[object] = []
    for match in re.finditer(
        r"^\.\. automodule:: (\S+)\n((?:   :\S+:.*\n)*)", text, flags=re.MULTILINE
    ):
        module = importlib.import_module(match.group(1))
        objects.append(module)
        options = dict(re.findall(r"   :(\S+):(.*)", match.group(2)))
        members = options.get("members", "").strip()
        names = (
            [n.strip() for n in members.split(",")]
            if members
            else list(getattr(module, "__all__", ()))
        )
        objects.extend(getattr(module, name) for name in names)
    for match in re.finditer(r"^\.\. auto(?:function|class|data|exception):: (\S+)", text, re.M):
        module_name, _, name = match.group(1).rpartition(".")
        objects.append(getattr(importlib.import_module(module_name), name))
    return objects


def test_every_public_name_is_on_the_api_page() -> None:
    known = documented()
    missing = [
        f"{module.__name__}.{name}"
        for module in public_modules()
        for name in getattr(module, "__all__", ())
        if not any(getattr(module, name) is obj for obj in known)
    ]
    assert not missing, "not on docs/reference/api.md: " + ", ".join(missing)
