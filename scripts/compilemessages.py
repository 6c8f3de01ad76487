"""Compile interface catalogues into the .mo files Django reads: `make install`, the Dockerfile.

Usage: python scripts/compilemessages.py locale*/*/LC_MESSAGES/*.po

The same job as `manage.py compilemessages`, but with polib instead of GNU gettext's msgfmt,
which a newcomer's machine or the slim Docker image may lack. Fuzzy entries are left out,
as msgfmt leaves them out.
"""

import sys
from pathlib import Path

import polib


def compile_catalogue(po_path: Path) -> Path:
    """Write the .mo beside `po_path` and return its path."""
    mo_path = po_path.with_suffix(".mo")
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return mo_path


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        compile_catalogue(Path(argument))
