"""Real podcast-app parsers run with node (tests/node): podcast-partytime, feedsmith.

`node_parser(script)` installs tests/node's npm packages on first use and returns a
function that feeds our feed to that script and reads back its JSON. A machine without
node or npm (or offline for the install) skips the test with the reason."""

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.missing import missing

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
NEEDED = ("podcast-partytime", "feedsmith")


def node_packages() -> str:
    """The path of node, once tests/node's packages are installed; skips if they cannot be."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        missing("podcast-partytime and feedsmith need node and npm, which are not installed")
    if all((NODE_DIR / "node_modules" / name).is_dir() for name in NEEDED):
        return node
    install = "ci" if (NODE_DIR / "package-lock.json").exists() else "install"
    try:
        done = subprocess.run(
            [npm, install, "--no-audit", "--no-fund"],
            cwd=NODE_DIR, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        missing("npm install of tests/node timed out (offline?)")
    if done.returncode != 0:
        missing(f"npm {install} failed (offline?): {done.stderr.strip()[-300:]}")
    return node


def node_parser(*script: str) -> Callable[[bytes], dict]:
    node = node_packages()

    def parse(feed: bytes) -> dict:
        done = subprocess.run(
            [node, *script], cwd=NODE_DIR, input=feed, capture_output=True, timeout=120
        )
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        return json.loads(done.stdout)

    return parse


@pytest.fixture(scope="session")
def partytime_whole() -> Callable[[bytes], dict]:
    """Everything podcast-partytime (Podcast Index's parser) reads from a feed."""
    return node_parser("whole.mjs", "partytime")


@pytest.fixture(scope="session")
def feedsmith() -> Callable[[bytes], dict]:
    """Everything feedsmith's RSS parser (with the podcast namespace) reads from a feed."""
    return node_parser("whole.mjs", "feedsmith")
