"""Sphinx configuration for the cperules documentation."""

from importlib.metadata import version as _version

project = "cperules"
author = "cperules maintainers"
copyright = "2026, cperules maintainers"
release = _version("cperules")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

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
html_title = "cperules"
napoleon_use_ivar = True
