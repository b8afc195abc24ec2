"""The folders of `articles/` are layers, and imports point down only (README,
"Layout"): a rule that lives in a lower layer cannot come to depend on the
web face, and no two modules import each other."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "articles"

# What each folder may import from the app, besides itself.
MAY_IMPORT = {
    "text": set(),
    "models": {"text"},
    "publishing": {"text", "models"},
    "notifications": {"text", "models"},
    "review": {"text", "models", "publishing.refresh", "notifications"},
    "background": {"text", "models", "publishing", "notifications", "review"},
    "transfer": {"text", "models", "publishing", "review"},
    "web": {"text", "models", "publishing", "review"},
    "api": {"text", "models", "publishing", "review", "web"},
    "images": {"models"},
    "admin": {
        *("text", "models", "publishing", "notifications", "review", "background"),
        *("transfer", "web", "images"),
    },
    "demo": set(),
    "management": {
        *("text", "models", "publishing", "review", "transfer", "demo", "background"),
        "images",
    },
    # models.images: the default of LibraryImage.key (new_key), as Django writes it.
    "migrations": {"text", "review.roles", "models.site_pages", "models.images"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_imports(path: Path) -> set[str]:
    """The app modules `path` imports at module level (not inside functions)."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "articles":
                found |= {f"articles.{alias.name}" for alias in node.names}
            elif node.module.startswith("articles."):
                modules = {f"{node.module}.{alias.name}" for alias in node.names}
                found |= {m for m in modules if module_path(m)} or {node.module}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("articles.")}
    return found


def module_path(name: str) -> Path | None:
    base = APP.parent.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def app_modules():
    return sorted(p for p in APP.rglob("*.py") if "static" not in p.parts)


def test_every_folder_imports_only_the_layers_below_it():
    wrong = []
    for path in app_modules():
        name = module_name(path)
        folder = name.split(".")[1] if name.count(".") else ""
        if folder not in MAY_IMPORT:
            continue
        allowed = {folder, *MAY_IMPORT[folder]}
        for imported in app_imports(path):
            target = imported.removeprefix("articles.")
            if not any(target == a or target.startswith(a + ".") for a in allowed):
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_the_workflow_imports_nothing_web_facing():
    imported = app_imports(APP / "review" / "workflow.py")
    web_facing = ("articles.web", "articles.admin", "django.template", "django.http")
    assert not [m for m in imported if m.startswith(web_facing)]
    source = (APP / "review" / "workflow.py").read_text()
    assert "django.template" not in source and "django.http" not in source


def test_no_module_imports_itself_through_others():
    graph = {module_name(p): app_imports(p) for p in app_modules()}
    loops = []

    def visit(name, trail):
        for nxt in graph.get(name, ()):
            if nxt == trail[0]:
                loops.append(" -> ".join([*trail, nxt]))
            elif nxt not in trail and len(trail) < 12:
                visit(nxt, [*trail, nxt])

    for name in graph:
        visit(name, [name])
    # A package importing its own submodules to register them is not a loop.
    real = [
        loop
        for loop in loops
        if not loop.split(" -> ")[1].startswith(loop.split(" -> ")[0] + ".")
    ]
    assert real == []


def test_no_module_outside_migrations_and_demo_text_is_over_400_lines():
    long = [
        f"{module_name(p)}: {len(p.read_text().splitlines())} lines"
        for p in app_modules()
        if "migrations" not in p.parts
        and p.name != "content.py"  # demo articles: text, not code
        and len(p.read_text().splitlines()) > 400
    ]
    assert long == []
