"""axe-core in a Playwright page: zero violations, of any impact."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("HEARTH_AXE_CORE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))


def require_axe() -> None:
    """Skip without axe-core outside CI; under CI=true its absence fails."""
    if AXE.exists():
        return
    reason = f"axe-core not found at {AXE}; run `npm ci` (make setup)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def assert_accessible(page: Any, where: str) -> None:
    """Run axe-core on the page as it is now (the page needs ``bypass_csp=True``)."""
    require_axe()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run()")
    assert result["passes"], f"{where}: axe-core did not run"
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert not bad, f"{where}: {bad}"
