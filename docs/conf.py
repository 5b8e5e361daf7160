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
