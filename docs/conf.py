"""Sphinx configuration of rosenblatt's documentation: the API reference (autodoc + napoleon) and the
tutorials (sphinx-gallery executes docs/tutorials/plot_*.py at build time and captures their figures)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# autodoc imports the package: the checkout's python/ folder wins over an installed copy only when it
# holds a built extension (a development build); otherwise the installed package is documented.
_src = os.path.join(HERE, "..", "python")
if any(f.startswith("_C") and f.endswith((".so", ".pyd")) for f in os.listdir(os.path.join(_src, "rosenblatt"))):
    sys.path.insert(0, os.path.abspath(_src))
sys.path.insert(0, HERE)  # _ext: the generated pages of C++-bound ops

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # the tutorials draw into files, never a window

import rosenblatt  # noqa: E402

project = "rosenblatt"
author = "the rosenblatt authors"
copyright = "the rosenblatt authors, MIT licence"  # noqa: A001
release = version = rosenblatt.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx_gallery.gen_gallery",
    "_ext.oplist",
]

autodoc_default_options = {"members": True}  # documented members only; no base-class lines
autodoc_member_order = "bysource"
autodoc_inherit_docstrings = False  # a layer without its own docstring should not show Module's
autodoc_typehints = "none"  # signatures are PyTorch's; the docstrings say the shapes
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_custom_sections = [("Shape", "params_style")]

try:
    import furo  # noqa: F401

    html_theme = "furo"
except ImportError:  # the default theme keeps the build working without furo
    html_theme = "alabaster"
html_title = f"rosenblatt {release}"
exclude_patterns = ["_build", "tutorials"]  # the gallery sources; sphinx-gallery renders them

sphinx_gallery_conf = {
    "examples_dirs": "tutorials",
    "gallery_dirs": "auto_tutorials",
    "filename_pattern": r"/plot_",  # every tutorial is executed: its asserts make the build a test
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "show_memory": False,
}
