"""The app's shape, held by its imports: layers only import downwards and no modules import each
other in a circle (README "How it fits together"). Read from the source with ast, nothing imported.

Functions are kept short enough to hold in one's head: none over MAX_FUNCTION_LINES lines outside
tests, except the data tables listed in LONG_DATA_TABLES, each with its reason.

Layers, top to bottom: patches; www, the DocType folders, install and commands; api, overrides and
demo; services; access; membership; domain (plain Python) with compat and setup_data. Inside
services, the capability packages import one way, in the order services/__init__.py writes down
(shared/, the lowest, imports no other). Lazy imports inside functions count too: a circle hidden in
a function is still a circle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "rma_portal"

LAYER_OF = {
	"domain": 1,
	"compat": 1,
	"setup_data": 1,
	"membership": 2,
	"access": 3,
	"services": 4,
	"api": 5,
	"overrides": 5,
	"demo": 5,
	"www": 6,
	"rma_portal": 6,  # the module folder: DocTypes, reports, the desk page
	"install": 6,
	"commands": 6,
	"templates": 6,
	"patches": 7,
	"hooks": 7,
}


MAX_FUNCTION_LINES = 60

# module.function -> why it may be longer: data tables only, never logic
LONG_DATA_TABLES = {
	"rma_portal.setup_data.custom_fields": "one literal: the Custom Field definitions install writes",
}


def is_test(path: Path) -> bool:
	return path.name.startswith("test_") or "tests" in path.relative_to(APP).parts


def module_name(path: Path) -> str:
	parts = list(path.relative_to(ROOT).with_suffix("").parts)
	if parts[-1] == "__init__":
		parts.pop()
	return ".".join(parts)


def product_modules() -> dict[str, Path]:
	return {module_name(p): p for p in APP.rglob("*.py") if not is_test(p)}


def imported_modules(path: Path, known: set[str]) -> set[str]:
	"""The app's modules this file imports (at the top or inside a function), by dotted name."""
	found = set()
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
		if isinstance(node, ast.Import):
			names = [alias.name for alias in node.names]
		elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
			# `from a.b import c`: c may be a module of package a.b, or a name defined in a.b
			names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
		else:
			continue
		for name in names:
			while name and name not in known:
				name = name.rpartition(".")[0]
			if name and name != "rma_portal":
				found.add(name)
	return found


def import_graph() -> dict[str, set[str]]:
	modules = product_modules()
	known = set(modules)
	graph = {}
	for name, path in modules.items():
		targets = imported_modules(path, known) - {name}
		# importing a.b.c runs a and a.b too, but those package faces are not the target
		graph[name] = {
			t for t in targets if not (name.startswith(t + ".") and modules[t].name == "__init__.py")
		}
	return graph


def layer(module: str) -> int:
	return LAYER_OF[module.split(".")[1]]


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
	"""Strongly connected components of more than one module (Tarjan)."""
	index, low, stack, on_stack, found = {}, {}, [], set(), []

	def visit(node):
		index[node] = low[node] = len(index)
		stack.append(node)
		on_stack.add(node)
		for target in graph.get(node, ()):
			if target not in index:
				visit(target)
				low[node] = min(low[node], low[target])
			elif target in on_stack:
				low[node] = min(low[node], index[target])
		if low[node] == index[node]:
			component = []
			while True:
				member = stack.pop()
				on_stack.discard(member)
				component.append(member)
				if member == node:
					break
			if len(component) > 1:
				found.append(sorted(component))

	for node in sorted(graph):
		if node not in index:
			visit(node)
	return found


def test_every_top_level_part_has_a_layer():
	unknown = {m.split(".")[1] for m in product_modules() if "." in m} - set(LAYER_OF)
	assert not unknown, f"give these a layer in LAYER_OF: {sorted(unknown)}"


def test_no_import_runs_up_a_layer():
	upward = [
		f"{source} (layer {layer(source)}) imports {target} (layer {layer(target)})"
		for source, targets in import_graph().items()
		for target in targets
		if layer(target) > layer(source)
	]
	assert not upward, "\n".join(sorted(upward))


def test_no_modules_import_each_other():
	found = circles(import_graph())
	assert not found, "\n".join(" <-> ".join(c) for c in found)


SERVICES = APP / "services"
ORDER_LINE = "One-way order, lowest first:"


def package_order() -> list[str]:
	"""The packages of services/, lowest first, as services/__init__.py's docstring writes them."""
	doc = ast.get_docstring(ast.parse((SERVICES / "__init__.py").read_text(encoding="utf-8"))) or ""
	line = next((line for line in doc.splitlines() if line.startswith(ORDER_LINE)), "")
	return [name.strip() for name in line[len(ORDER_LINE) :].split("<") if name.strip()]


def is_old_path(path: Path) -> bool:
	"""A module kept for one release under an old dotted path that queued jobs name: its docstring
	says so and it holds nothing but imports (the names it keeps), so it hides no logic."""
	tree = ast.parse(path.read_text(encoding="utf-8"))
	body = tree.body[1:] if ast.get_docstring(tree) else tree.body
	return "kept for one release" in (ast.get_docstring(tree) or "") and all(
		isinstance(node, (ast.Import, ast.ImportFrom)) for node in body
	)


def services_package(module: str, order: list[str]) -> str | None:
	parts = module.split(".")
	return (
		parts[2] if parts[:2] == ["rma_portal", "services"] and len(parts) > 2 and parts[2] in order else None
	)


def upward_package_imports(graph: dict[str, set[str]], order: list[str], exempt=frozenset()) -> list[str]:
	"""Each import of a services/ package's module from a package above it in `order`."""
	rank = {name: n for n, name in enumerate(order)}
	found = []
	for source, targets in graph.items():
		low = services_package(source, order)
		if low is None or source in exempt:
			continue
		for target in targets:
			if any(other.startswith(target + ".") for other in targets):
				continue  # `from package import module`: the module is named
			high = services_package(target, order)
			if high is not None and rank[high] > rank[low]:
				found.append(f"{source} ({low}) imports {target} ({high}, above it)")
	return sorted(found)


def test_services_packages_in_one_way_order():
	"""services/__init__.py names every package once, lowest first; a package imports only those below
	it (at the top or inside a function), so no two packages import each other. Old job paths kept for
	one release may name their new home."""
	order = package_order()
	packages = sorted(p.name for p in SERVICES.iterdir() if (p / "__init__.py").exists())
	assert sorted(order) == packages, f"order the packages in services/__init__.py: {order} vs {packages}"
	modules = product_modules()
	old_paths = {name for name, path in modules.items() if is_old_path(path)}
	upward = upward_package_imports(import_graph(), order, old_paths)
	assert not upward, "\n".join(upward)


@pytest.mark.parametrize(
	"graph, expected",
	[
		({"rma_portal.services.b.x": {"rma_portal.services.a.y"}}, []),
		(
			{"rma_portal.services.a.y": {"rma_portal.services.b.x", "rma_portal.access"}},
			["rma_portal.services.a.y (a) imports rma_portal.services.b.x (b, above it)"],
		),
		({"rma_portal.services.a.y": {"rma_portal.services.a.z", "rma_portal.services.documents"}}, []),
	],
)
def test_upward_package_finder(graph, expected):
	assert upward_package_imports(graph, ["a", "b"]) == expected


def test_shared_services_import_no_capability():
	graph = import_graph()
	wrong = [
		f"{source} imports {target}"
		for source, targets in graph.items()
		if source.startswith("rma_portal.services.shared")
		for target in targets
		if target.startswith("rma_portal.services.") and not target.startswith("rma_portal.services.shared")
	]
	assert not wrong, "\n".join(sorted(wrong))


def test_services_are_packages_no_room_too_big():
	"""services/ holds capability packages (and the one-release job aliases), none of them more than
	a fifth of the app's lines."""
	services = APP / "services"
	loose = sorted(
		p.name
		for p in services.glob("*.py")
		if p.name != "__init__.py" and "kept for one release" not in p.read_text()
	)
	assert not loose, f"modules outside a capability package: {loose}"
	total = sum(len(p.read_text().splitlines()) for p in product_modules().values())
	for package in (p for p in services.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
		lines = sum(len(f.read_text().splitlines()) for f in package.rglob("*.py") if not is_test(f))
		assert lines <= total / 5, f"services/{package.name} holds {lines} of {total} lines"


def functions(tree: ast.AST, prefix: str):
	"""(dotted name, lines) of every function and method in tree, nested ones included."""
	for node in ast.iter_child_nodes(tree):
		if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
			name = f"{prefix}.{node.name}"
			if not isinstance(node, ast.ClassDef):
				yield name, node.end_lineno - node.lineno + 1
			yield from functions(node, name)
		else:
			yield from functions(node, prefix)


def long_functions(modules: dict[str, Path], limit: int = MAX_FUNCTION_LINES) -> dict[str, int]:
	return {
		name: lines
		for module, path in modules.items()
		for name, lines in functions(ast.parse(path.read_text(encoding="utf-8")), module)
		if lines > limit
	}


def test_no_function_over_60_lines():
	"""Split a long function by the steps it already has; only a data table may be listed instead."""
	found = long_functions(product_modules())
	too_long = [
		f"{name}: {lines} lines" for name, lines in sorted(found.items()) if name not in LONG_DATA_TABLES
	]
	assert not too_long, "\n".join(too_long)
	stale = sorted(set(LONG_DATA_TABLES) - set(found))
	assert not stale, f"no longer long (or gone), take off LONG_DATA_TABLES: {stale}"


def test_long_function_finder(tmp_path):
	source = tmp_path / "m.py"
	lines = [f"x{n} = {n}" for n in range(60)]
	short = "def short():\n" + "".join(f"\t{line}\n" for line in lines[:59])  # 60 lines with its def
	method = "class C:\n\tdef long(self):\n" + "".join(f"\t\t{line}\n" for line in lines)  # 61
	source.write_text(short + "\n\n" + method)
	assert long_functions({"m": source}) == {"m.C.long": 61}


@pytest.mark.parametrize(
	"graph, expected",
	[
		({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
		({"a": {"b"}, "b": {"c"}, "c": set()}, []),
		({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
	],
)
def test_circle_finder(graph, expected):
	assert circles(graph) == expected
