"""The translation files rma_portal/translations/<lang>.csv (Frappe's per-app CSV translations).

Plain pytest, no Frappe. Checks that every file parses, has no duplicate or empty entries, keeps
placeholders and HTML tags, and matches the code: every translatable source string of the app is
translated, and no entry is left over for a string the code no longer has.

Where the source strings come from (the same places Frappe's own extractor,
frappe.translate.get_messages_for_app, looks at, minus the navbar items Frappe itself provides,
plus the texts it cannot see; test code is left out):

- Python (rma_portal/**/*.py, parsed with ast): the first argument of calls to `_`, `_lt` or
  `frappe._` when it is a string literal (implicit concatenation included), and the strings of the
  JS_MESSAGES tuples/lists (texts the portal pages hand to frappe._messages for public/js).
- Jinja HTML (rma_portal/**/*.html): `_("...")` / `_('...')` string literals (regex, not preceded
  by an identifier character).
- JavaScript (rma_portal/**/*.js outside public/dist): `__("...")`, `__('...')` and `__(`...`)`
  without ${} (regex).
- DocType JSON (rma_portal/rma_portal/doctype/*/*.json): DocType name, module, description, field
  labels and descriptions, the lines of Select options, HTML field options and permission roles.
- Texts translated indirectly, `_(variable)` at run time (Python, ast): the string values of the
  constants named in INDIRECT_CONSTANTS (column/field labels, expectations, report group names,
  ...; snake_case keys and SQL snippets are left out), and in rma_portal/domain/*.py, whose
  messages are plain-English format strings the callers pass through `_()`, every non-docstring
  string literal that starts with a capital letter and contains a space.
- Report JSON (rma_portal/rma_portal/report/*/*.json): the report name and column labels.
- Workspace JSON (rma_portal/rma_portal/workspace/*/*.json): label, title, link/card and shortcut
  labels (the desk shows them through __()).
- Email Templates (rma_portal/data/email_templates.json): the subjects and the bodies' `_("...")`.
"""

import ast
import csv
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "rma_portal"
TRANSLATIONS = APP / "translations"
LANGUAGES = ("ro", "fr", "nl", "fi", "pl")

# Python string literal after `_(` in Jinja templates and `__(` in JS.
_QUOTED = r"""(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)"""
JINJA_CALL = re.compile(r"(?<![\w.])_\(\s*" + _QUOTED + r"\s*[,)]")
JS_CALL = re.compile(r"(?<![\w.$])__\(\s*" + _QUOTED + r"\s*[,)]")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
JINJA_EXPR = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _unescape(text):
	return re.sub(r"\\(.)", r"\1", text)


def _python_messages(path):
	tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
	for node in ast.walk(tree):
		if isinstance(node, ast.Call) and node.args:
			func = node.func
			name = (
				func.id
				if isinstance(func, ast.Name)
				else func.attr
				if isinstance(func, ast.Attribute)
				else None
			)
			arg = node.args[0]
			if name in ("_", "_lt") and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
				yield arg.value
		elif isinstance(node, ast.Assign | ast.AnnAssign):
			targets = node.targets if isinstance(node, ast.Assign) else [node.target]
			if any(isinstance(t, ast.Name) and t.id == "JS_MESSAGES" for t in targets):
				value = node.value
				if isinstance(value, ast.Tuple | ast.List | ast.Set):
					for element in value.elts:
						if isinstance(element, ast.Constant) and isinstance(element.value, str):
							yield element.value


# Constants whose values reach the user through `_(value)`; each must still exist somewhere.
INDIRECT_CONSTANTS = {
	"CANDIDATE_COLUMNS",  # services/returns/returns.py: /rma/new column labels
	"COLUMN_LABELS",  # domain/csv_rows.py: service CSV columns
	"REASONS",  # domain/csv_rows.py: service CSV problems
	"NOTES",  # services/shared/history_notes.py: status history notes
	"FIELD_LABELS",  # services/service/service_rma.py: field names in error messages
	"SERVICE_EXPECTATIONS",  # services/service/service_rma.py
	"ATTACHMENT_KINDS",  # services/service/service_rma.py
	"HANDLINGS",  # services/returns/lifecycle.py
	"STATUS_ACTIONS",  # customer_warranty_claim.py
	"GROUPS",  # report rma_analysis: group-by names and labels
	"STATUSES",
	"STATUS_LABELS",  # services/portal/tickets.py: how the customer reads a ticket status
	"KINDS",
	"BREACHES",  # report rma_sla
	"CHART_NAMES",  # report rma_sla
	"DECIDED",  # report warranty_claim_decision_times
	"ORDER_COLUMNS",  # services/portal/portal_orders.py: /portal/orders column labels
	"PORTAL_STATES",  # www/portal_display.py: invoice and quotation states
	"DELIVERY_OPTIONS",  # services/portal/quote_requests.py
	"TASK_STATUSES",  # services/portal/projects.py
	"FULFILMENT_STATUSES",  # services/portal/contracts.py
}
_NOT_A_LABEL = re.compile(r"[a-z0-9_.()]*|[\w.]+\(.*\)|Data|Link|Int|Float|Check")  # keys, SQL, fieldtypes


def _constants(node):
	for sub in ast.walk(node):
		if (
			isinstance(sub, ast.Constant)
			and isinstance(sub.value, str)
			and not _NOT_A_LABEL.fullmatch(sub.value)
		):
			yield sub.value


def _docstrings(tree):
	for node in ast.walk(tree):
		if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
			body = node.body
			if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
				yield id(body[0].value)


def _indirect_messages(path, found_constants):
	tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
	for node in ast.walk(tree):
		if isinstance(node, ast.Assign | ast.AnnAssign):
			targets = node.targets if isinstance(node, ast.Assign) else [node.target]
			names = {t.id for t in targets if isinstance(t, ast.Name)}
			if names & INDIRECT_CONSTANTS and node.value is not None:
				found_constants.update(names & INDIRECT_CONSTANTS)
				yield from _constants(node.value)
	if path.parent.name == "domain":
		docstrings = set(_docstrings(tree))
		for node in ast.walk(tree):
			if (
				isinstance(node, ast.Constant)
				and isinstance(node.value, str)
				and id(node) not in docstrings
				and re.match(r"[A-Z][^\n]* ", node.value)
			):
				yield node.value


def _regex_messages(path, pattern):
	for match in pattern.finditer(path.read_text(encoding="utf-8")):
		text = next(group for group in match.groups() if group is not None)
		yield _unescape(text)


def _doctype_messages(doc):
	yield doc.get("name")
	yield doc.get("module")
	yield doc.get("description")
	for field in doc.get("fields", []):
		yield field.get("label")
		yield field.get("description")
		options = field.get("options")
		if options and field.get("fieldtype") == "Select" and "icon" not in options.split("\n")[0]:
			yield from options.split("\n")
		if options and field.get("fieldtype") == "HTML":
			yield options
	for perm in doc.get("permissions", []):
		yield perm.get("role")


def _report_messages(doc):
	yield doc.get("report_name") or doc.get("name")
	for column in doc.get("columns") or []:
		yield column.get("label")


def _workspace_messages(doc):
	yield doc.get("label")
	yield doc.get("title")
	for row in (doc.get("links") or []) + (doc.get("shortcuts") or []):
		yield row.get("label")


# The app's documents kept as JSON: (folder under rma_portal/rma_portal, the document's doctype, what
# reads its texts); a JSON file there of another doctype has none.
DOCUMENT_MESSAGES = (
	("doctype", "DocType", _doctype_messages),
	("report", "Report", _report_messages),
	("workspace", "Workspace", _workspace_messages),
)


def _document_messages(folder, doctype, read):
	for path in (APP / "rma_portal" / folder).glob("*/*.json"):
		doc = json.loads(path.read_text(encoding="utf-8"))
		if doc.get("doctype") == doctype:
			yield from read(doc)


def _email_template_messages(path):
	for template in json.loads(path.read_text(encoding="utf-8")):
		yield template.get("subject")
		# bodies written with _() are rendered in the reader's language (services/shared/notify.py)
		for match in JINJA_CALL.finditer(template.get("response_html") or ""):
			yield _unescape(next(group for group in match.groups() if group is not None))


def _is_translatable(text):
	# As frappe.gettext.extractors.utils.is_translatable: contains a Latin letter.
	return bool(text and text.strip() and re.search(r"[a-zA-Z]", text))


def collect_sources():
	"""All translatable source strings of the app, as written in the code."""
	messages = set()
	found_constants = set()
	for path in APP.rglob("*.py"):
		if "translations" in path.parts or "tests" in path.parts or path.name.startswith("test_"):
			continue
		messages.update(_python_messages(path))
		messages.update(_indirect_messages(path, found_constants))
	missing_constants = INDIRECT_CONSTANTS - found_constants
	assert not missing_constants, f"INDIRECT_CONSTANTS no longer in the code: {sorted(missing_constants)}"
	for path in APP.rglob("*.html"):
		messages.update(_regex_messages(path, JINJA_CALL))
	for path in APP.rglob("*.js"):
		if "dist" in path.parts or "node_modules" in path.parts:
			continue
		messages.update(_regex_messages(path, JS_CALL))
	for folder, doctype, read in DOCUMENT_MESSAGES:
		messages.update(_document_messages(folder, doctype, read))
	templates = APP / "data" / "email_templates.json"
	if templates.exists():
		messages.update(_email_template_messages(templates))
	# _() strips surrounding whitespace before the look-up, so the CSV keys are stripped too.
	return {m.strip() for m in messages if isinstance(m, str) and _is_translatable(m)}


def read_rows(lang):
	with open(TRANSLATIONS / f"{lang}.csv", newline="", encoding="utf-8") as f:
		return list(csv.reader(f))


@pytest.fixture(scope="module")
def sources():
	return collect_sources()


def test_collector_finds_the_app_strings(sources):
	# A few strings from each kind of place, so a broken regex does not go unnoticed.
	assert "Return reason" in sources or "Return Reason" in sources  # DocType label / Jinja
	assert "Customer Warranty Claim" in sources  # DocType name
	assert "Page {0} of {1}" in sources  # JS / JS_MESSAGES
	assert "In processing" in sources  # Select option
	assert len(sources) > 300


@pytest.mark.parametrize("lang", LANGUAGES)
def test_file_parses_and_is_well_formed(lang):
	rows = read_rows(lang)
	assert rows, f"{lang}.csv is empty"
	seen = set()
	for number, row in enumerate(rows, 1):
		assert len(row) in (2, 3), f"{lang}.csv row {number}: {row!r}"
		source, translation = row[0], row[1]
		key = (source, row[2] if len(row) == 3 else "")
		assert key not in seen, f"{lang}.csv row {number}: duplicate source {source!r}"
		seen.add(key)
		assert source.strip() == source and source, f"{lang}.csv row {number}: bad source {source!r}"
		assert translation.strip(), f"{lang}.csv row {number}: empty translation of {source!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_and_tags_are_kept(lang):
	problems = []
	for source, translation, *_context in read_rows(lang):
		for pattern in (JINJA_EXPR, PLACEHOLDER, HTML_TAG):
			if sorted(pattern.findall(source)) != sorted(pattern.findall(translation)):
				problems.append(f"{source!r} -> {translation!r}: {pattern.pattern}")
				break
	assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_source_string_is_translated(lang, sources):
	in_file = {row[0] for row in read_rows(lang)}
	missing = sorted(sources - in_file)
	assert not missing, f"{len(missing)} strings missing from {lang}.csv:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_stale_entries(lang, sources):
	in_file = {row[0] for row in read_rows(lang)}
	stale = sorted(in_file - sources)
	assert not stale, f"{len(stale)} entries of {lang}.csv are no longer in the code:\n" + "\n".join(stale)


def test_languages_cover_the_same_strings():
	files = {lang: {row[0] for row in read_rows(lang)} for lang in LANGUAGES}
	reference = files[LANGUAGES[0]]
	for lang, keys in files.items():
		assert keys == reference, f"{lang}.csv differs: {sorted(keys ^ reference)[:20]}"
