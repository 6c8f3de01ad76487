"""Access to ../shared (real samples and corpora), which exists beside a checkout but not
on a user's machine: tests that read it skip with a clear reason when it is absent.
PRESSROOM_SHARED_DIR names it for a checkout that is not beside it (a git worktree)."""

import os
from pathlib import Path

import pytest

SHARED_DIR = Path(
    os.environ.get("PRESSROOM_SHARED_DIR")
    or Path(__file__).resolve().parent.parent.parent / "shared"
)
SAMPLE_DIGEST = SHARED_DIR / "samples" / "000_805da140448cf3fc.txt"


def shared_path(*parts: str) -> Path:
    """The path under ../shared, or skip the calling test when it is not there."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared exists beside the project's checkout only")
    return path
