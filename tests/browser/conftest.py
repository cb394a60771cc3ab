"""Playwright on Debian's chromium against pytest-django's live server."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.missing import missing

CHROMIUM = Path("/usr/bin/chromium")
NODE_DIR = ROOT / "tests" / "node"
AXE = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not CHROMIUM.exists():
        missing(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            # Deep links start playback without a click, as a listener's own click would.
            "--autoplay-policy=no-user-gesture-required",
        ],
    }


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser bundle, installed with npm into tests/node on first use."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            missing("needs npm to install axe-core into tests/node")
        result = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent"],
            cwd=NODE_DIR, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if result.returncode != 0 or not AXE.exists():
            missing(f"npm could not install axe-core: {result.stderr.strip()[-300:]}")
    return AXE.read_text()


def log_in(page, base: str, next_path: str) -> None:
    """The admin log-in form as the `admin_user` fixture's editor fills it, then `next_path`."""
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_path}")
