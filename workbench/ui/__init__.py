"""The desktop interface: the only package that imports PySide6.

PySide6 replaces Python's import statement with its own, for `from __feature__ import ...` (snake_case and
true_property, which this program never uses). That hook runs Python code for every import statement executed
afterwards and reads the whole source of each newly imported module: at start-up it made the window's modules and
the database layer loaded after it about a quarter slower to import. The package puts the original statement back.
"""

import builtins

import PySide6.QtCore  # noqa: F401  (loads PySide6, which installs its hook, before the hook is undone)

_ORIGINAL_IMPORT = getattr(builtins, "__orig_import__", None)  # kept there by PySide6 when it replaces it
if _ORIGINAL_IMPORT is not None:
    builtins.__import__ = _ORIGINAL_IMPORT
