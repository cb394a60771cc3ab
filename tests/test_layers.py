"""Imports point one way: from the views, admin and tasks down to pure modules, never back up.

Read from the source with ast, so a new module lands in a layer or this test says
which one it needs. The layers, lowest first:
0. pure modules: no Django, no Celery, only other pure modules of ours;
1. wiring the apps stand on: settings, the queue, the Celery app;
2. models;
3. what models are read through: lookups, search, the page and feed caches;
4. services: workflows, the feed builders, forms;
5. the edges: views, admin, tasks, URLs, commands.
`transcripts` stands on `episodes` and may use its layers up to 3, never its services.
"""

import ast
import fnmatch
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("episodes", "transcripts", "analytics", "podcast", "subscribers")

PURE = [
    "episodes.artwork",
    "episodes.audio.frames",
    "episodes.audio.id3",
    "episodes.audio.mp4",
    "episodes.audio.notes",
    "episodes.audio.reading",
    "episodes.audio.renditions",
    "episodes.audio.tones",
    "episodes.categories",
    "episodes.chapters",
    "episodes.demoart",
    "episodes.feeds.media_tags",
    "episodes.feeds.namespace",
    "episodes.feeds.rss",
    "episodes.feeds.xmltext",
    "episodes.guids",
    "episodes.importing.fetching",
    "episodes.importing.namespace",
    "episodes.importing.planning",
    "episodes.importing.reading",
    "episodes.languages",
    "episodes.markup",
    "episodes.pageart",
    "episodes.shownotes",
    "episodes.soundbites",
    "episodes.timecodes",
    "transcripts.formats",
    "transcripts.parsing",
    "transcripts.segments",
    "transcripts.speakers",
    "transcripts.writing",
    "transcripts.readers*",
    "analytics.accesslogs",
    "analytics.charts",
    "analytics.counting",
    "analytics.listeners",
    "analytics.networks",
    "analytics.prefixes",
    "analytics.useragents",
    "podcast.bodylimit",
    "podcast.logfilters",
    "podcast.proxyaddr",
    "subscribers.tokens",
    "subscribers.applinks",
    "subscribers.signatures",
    "subscribers.splicing",
]
# The queue keeps what it could not send (podcast.models) and the failure recorder's
# table: the project's own infrastructure, below every app.
WIRING = [
    "podcast",
    "podcast.env",
    "podcast.s3",
    "podcast.settings",
    "podcast.settingscache",
    "podcast.models",
    "podcast.failures",
    "podcast.queue",
    "podcast.celery",
]
PACKAGE_ROOTS = ["episodes", "episodes.audio", "episodes.feeds", "episodes.importing"]
LOWER = [  # what the views and services read models through
    "episodes.lookups",
    "episodes.search",
    "episodes.pagecache",
    "episodes.feeds.cache",
    "episodes.feeds.build",
    "episodes.feeds.namespace_rows",
    "episodes.feeds.media",
    "episodes.seo",
    "episodes.serving",
    "episodes.mediafiles",
    "episodes.accel",
    "episodes.editorstate",
    "episodes.subscribe",
    "transcripts.review",
    "episodes.lockout",
    "episodes.showlinks",
    "*.sitemaps",
    "analytics.buffer",
    "analytics.increments",
    "analytics.recording",
    "analytics.salts",
    "episodes.hot",
    "episodes.streamslots",
    "episodes.cachecontrol",
    "episodes.front",
    "transcripts.files",
    "subscribers.links",
    "subscribers.feeds",
]
SERVICES = [
    "*.services",
    "episodes.audio.tagging",
    "episodes.forms",
    "episodes.demo",
    "episodes.demo_namespace",
    "episodes.artcopies",
    "episodes.podping",
    "episodes.opus",
    "episodes.importing.media",
    "analytics.aggregation",
    "analytics.personal",
    "analytics.logimport",
    "analytics.milestones",
    "analytics.reports",
    "analytics.retention",
    "episodes.admin_layout",
    "episodes.admin_namespace",
    "episodes.admin_list",
    "episodes.audioversions",
    "episodes.searchpage",
    "podcast.orphans",
    "subscribers.forms",
    "subscribers.importing",
    "subscribers.webhook",
]
EDGES = [
    "*.views",
    "*.admin",
    "*.admin_views",
    "*.tasks",
    "*.urls",
    "*.context_processors",
    "episodes.admin_live",
    "episodes.embeds",
    "episodes.episodepage",
    "*.templatetags*",
    "*.management*",
    "podcast.health",
    "podcast.asgi",
    "podcast.wsgi",
    "podcast.devrun",
    "subscribers.feedviews",
    "subscribers.feedurls",
    "transcripts.routes",
]
LAYERS = [
    (0, PURE),
    (
        1,
        WIRING
        + PACKAGE_ROOTS
        + [
            "transcripts",
            "analytics",
            "analytics.datacentres",
            "subscribers",
            "*.apps",
            "*.readers",
        ],
    ),
    (1, ["podcast.checks", "podcast.middleware"]),
    (2, ["*.models", "*.models.*", "episodes.validators", "episodes.uploads"]),
    (3, LOWER),
    (4, SERVICES),
    (5, EDGES),
]
# The one import inside a function each app keeps: services reach their tasks late,
# because tasks.py imports services.
LATE_IMPORTS = {
    ("episodes.services", "celery_tasks"),
    ("episodes.importing.services", "celery_tasks"),
    ("transcripts.services", "celery_tasks"),
    ("episodes.podping", "celery_tasks"),
    ("episodes.opus", "celery_tasks"),
    # PyAV (FFmpeg's libraries) is loaded by the worker's encode only, not by web processes.
    ("episodes.opus", "make_opus_rendition"),
    # The WSGI entry wraps Django in episodes.front, which loads models: after Django's setup.
    ("podcast.wsgi", "listener_front"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


SOURCES = {
    module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
    if "migrations" not in path.parts
}


def layer(module: str) -> int:
    for rank, patterns in LAYERS:
        if any(fnmatch.fnmatchcase(module, pattern) for pattern in patterns):
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


def imported(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules of ours an import statement names, relative imports resolved."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        package = module if SOURCES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = ".".join(filter(None, [package if node.level else "", node.module or ""]))
        names = [f"{base}.{alias.name}" for alias in node.names]
        # `from package import name` names a module, or else something in the package.
        names = names if all(name in SOURCES for name in names) else [base]
    ours = {name if name in SOURCES else name.rpartition(".")[0] for name in names}
    return sorted(name for name in ours if name in SOURCES)


def module_imports(module: str) -> list[str]:
    tree = ast.parse(SOURCES[module].read_text())
    statements = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    return sorted({name for node in statements for name in imported(module, node)} - {module})


def third_party(module: str) -> set[str]:
    tree = ast.parse(SOURCES[module].read_text())
    names = [a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.module]
    return {name.partition(".")[0] for name in names}


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_module_imports_from_a_higher_layer(module):
    higher = [name for name in module_imports(module) if layer(name) > layer(module)]
    assert not higher, f"{module} (layer {layer(module)}) imports {higher} from above"


@pytest.mark.parametrize("module", sorted(m for m in SOURCES if layer(m) == 0))
def test_pure_modules_need_no_django(module):
    assert not third_party(module) & {"django", "celery", "kombu"}


@pytest.mark.parametrize("module", sorted(m for m in SOURCES if m.startswith("transcripts")))
def test_transcripts_uses_only_the_lower_layers_of_episodes(module):
    used = [name for name in module_imports(module) if name.startswith("episodes")]
    assert all(layer(name) <= 3 for name in used), f"{module} uses {used}"


def late_imports(module: str) -> set[tuple[str, str]]:
    tree = ast.parse(SOURCES[module].read_text())
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    return {
        (module, function.name)
        for function in functions
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    }


def test_only_services_import_inside_a_function_and_only_their_tasks():
    found = set().union(*(late_imports(module) for module in SOURCES))
    assert found == LATE_IMPORTS


def test_the_layer_test_sees_the_modules_it_names():
    assert {"episodes.models", "episodes.lookups", "transcripts.services"} <= set(SOURCES)
    assert module_imports("transcripts.views") == [
        "episodes.cachecontrol",
        "episodes.hot",
        "episodes.lookups",
        "episodes.models",
        "episodes.pagecache",
        "transcripts.files",
        "transcripts.models",
    ]
