"""Sphinx configuration for the cperules documentation."""

from importlib.metadata import version as _version

project = "cperules"
author = "cperules maintainers"
copyright = "2026, cperules maintainers"
release = _version("cperules")
version = ".".join(release.split(".")[:2])

extensions = [
    # MyST-NB parses every .md page (it includes myst-parser); a page whose front matter
    # has a jupytext/kernelspec header is a text notebook and is executed with a real kernel.
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
]
source_suffix = {".md": "myst-nb"}
# catalog-table.md is generated (`make catalog-table`) and included by reference/catalog.md;
# screenshot.py makes _static/evaluation.png by hand.
exclude_patterns = ["_build", "reference/catalog-table.md", "screenshot.py"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Notebooks: always executed during the build (never cached), and a slow cell is an error
# rather than a hang. A cell that raises becomes a warning that shows the cell and its
# traceback, and the build's --fail-on-warning fails on it (raising at once instead would
# print only the notebook's path).
nb_execution_mode = "force"
nb_execution_raise_on_error = False
nb_execution_show_tb = True
nb_execution_timeout = 120
nb_merge_streams = True

html_static_path = ["_static"]
# The JSON Schemas ship in the package and are published at the site's root, where their
# $id points (cperules.policy_format.schema_id).
html_extra_path = ["../src/cperules/schemas"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
# Pydantic's generated members (model_config, model_fields, ...) are not cperules' API.
autodoc_pydantic_show_config = False
napoleon_google_docstring = True
napoleon_numpy_docstring = False
nitpicky = False

intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

html_theme = "alabaster"
# Room for the result tables the notebooks show (they scroll sideways beyond it).
html_theme_options = {"page_width": "1120px", "body_max_width": "none"}
html_title = "cperules"
napoleon_use_ivar = True


# --- API reference: show cperules' names, not pydantic's internals -----------------------
# Pydantic models carry members of their own (model_config, model_fields, ...), and a
# constrained type such as ``Credits`` reaches autodoc as
# ``Annotated[Decimal, FieldInfo(...)]``. The reference skips the former and writes the
# latter by the alias's name.
_PYDANTIC_MEMBERS = frozenset(
    {
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_post_init",
    }
)


def _skip_pydantic_members(app, what, name, obj, skip, options):  # type: ignore[no-untyped-def]  # noqa: PLR0917 - Sphinx's event signature
    return True if name in _PYDANTIC_MEMBERS else None


def _alias_names() -> dict[str, str]:
    """The text autodoc would print for each of cperules' Annotated aliases, to its name."""
    import importlib  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415
    from typing import Annotated, get_origin  # noqa: PLC0415

    from sphinx.util.typing import stringify_annotation  # noqa: PLC0415

    import cperules  # noqa: PLC0415

    names: dict[str, str] = {}
    for info in pkgutil.walk_packages(cperules.__path__, "cperules."):
        if ".testing" in info.name:
            continue
        module = importlib.import_module(info.name)
        for attribute, value in vars(module).items():
            if attribute.startswith("_") or get_origin(value) is not Annotated:
                continue
            for mode in ("fully-qualified-except-typing", "smart"):
                names.setdefault(stringify_annotation(value, mode), attribute)
    return names


def _without_metadata(text: str) -> str:
    """``Annotated[X, meta...]`` written as ``X``, at any depth (brackets matched)."""
    marker = "Annotated["
    while (start := text.find(marker)) != -1:
        depth, index, comma = 1, start + len(marker), None
        while depth and index < len(text):
            char = text[index]
            if char in "[(":
                depth += 1
            elif char in "])":
                depth -= 1
            elif char == "," and depth == 1 and comma is None:
                comma = index
            index += 1
        inner = text[start + len(marker) : comma if comma is not None else index - 1]
        text = text[:start] + inner.strip() + text[index:]
    return text


def _name_aliases(app, what, name, obj, options, signature, return_annotation):  # type: ignore[no-untyped-def]  # noqa: PLR0917 - Sphinx's event signature
    recorded = app.env.temp_data.get("annotations", {}).get(name)
    if recorded:
        aliases = app.config._cperules_aliases
        for key, given in list(recorded.items()):
            text = given
            for long, short in aliases.items():
                text = text.replace(long, short)
            recorded[key] = _without_metadata(text)


def _plain_alias_lines(app, doctree):  # type: ignore[no-untyped-def]
    """``alias of Annotated[Decimal, FieldInfo(...)]`` becomes ``alias of Decimal``, and an
    attribute's ``: Annotated[int, Field(...)]`` becomes ``: int``."""
    from docutils import nodes  # noqa: PLC0415
    from sphinx import addnodes  # noqa: PLC0415

    for annotation in list(doctree.findall(addnodes.desc_annotation)):
        text = annotation.astext()
        if "Annotated[" in text:
            annotation.replace_self(addnodes.desc_annotation(text, _without_metadata(text)))
    for paragraph in list(doctree.findall(nodes.paragraph)):
        text = paragraph.astext()
        if text.startswith("alias of ") and "Annotated[" in text:
            plain = _without_metadata(text.removeprefix("alias of "))
            paragraph.replace_self(
                nodes.paragraph("", "", nodes.Text("alias of "), nodes.literal(plain, plain))
            )


def setup(app):  # type: ignore[no-untyped-def]
    app.config._cperules_aliases = _alias_names()
    app.connect("autodoc-skip-member", _skip_pydantic_members)
    # after sphinx.ext.autodoc.typehints records the annotations (priority 500)
    app.connect("autodoc-process-signature", _name_aliases, priority=600)
    app.connect("doctree-read", _plain_alias_lines)
    return {"parallel_read_safe": True}
