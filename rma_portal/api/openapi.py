"""The OpenAPI 3.1 document of the dealer-facing methods, generated from the code.

A method is dealer-facing when it is one of the app's whitelisted methods in rma_portal/api, not
for guests, and asks the access point for a named action (`access.customer_for("rma.read")`, also
in a helper of the api it calls first): what a member, and so an API key, may do for their company.
Desk methods (Frappe's permissions), the registration's guest methods, a user's own account steps
(adding a company, answering an invitation, which ask no action) and the actions a key may never do
(domain/api_keys.SESSION_ONLY_ACTIONS) are left out.

Each operation comes from the function: its path and HTTP methods (frappe.whitelist), its arguments
from the signature and type annotations, its summary and description from the docstring, the right
it needs from the action (domain/members.needed), and the shared error answers. The document is
kept in the repository (docs/openapi.json; `bench --site <site> execute
rma_portal.api.openapi.write_document` writes it) and a test fails when the code and that file
differ (rma_portal/tests/test_openapi.py). Served at /api/method/rma_portal.api.openapi.document to
every logged-in user and API key.
"""

import ast
import importlib
import inspect
import json
import pkgutil
import textwrap
import types
import typing
from functools import cache
from pathlib import Path

import frappe

import rma_portal
import rma_portal.api
from rma_portal import access
from rma_portal.domain import api_keys as key_rules
from rma_portal.domain import inputs
from rma_portal.domain import members as rules

ACCESS_CALLS = ("customer_for", "check", "can", "sees_raised_by", "refusal")
DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
RIGHT_NAMES = {
	"BR": "BR (branch registration)",
	"US": "US (manage company users)",
	"OR": "OR (orders and quotations)",
	"RM": "RM (returns, service, warranty, tickets)",
	"FI": "FI (invoices and payments)",
	"AD": "AD (addresses)",
	"PRO": "PRO (project administrator)",
	rules.ANY_MEMBER: "any member of the company",
	rules.ADMIN_ONLY: "the company administrator",
}


# -- which methods ---------------------------------------------------------------------------------


def api_functions() -> list:
	"""The whitelisted functions of rma_portal/api (imported so they register), by qualified name."""
	for info in pkgutil.iter_modules(rma_portal.api.__path__, "rma_portal.api."):
		if not info.name.rsplit(".", 1)[1].startswith("test"):
			importlib.import_module(info.name)
	found = [
		fn
		for fn in frappe.whitelisted
		if getattr(fn, "__module__", "").startswith("rma_portal.api.") and fn not in frappe.guest_methods
	]
	return sorted(found, key=lambda fn: f"{fn.__module__}.{fn.__name__}")


def _tree(fn):
	fn = inspect.unwrap(fn)
	return fn, ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]


def _calls(tree) -> list[ast.Call]:
	calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
	return sorted(calls, key=lambda call: (call.lineno, call.col_offset))


def access_action(fn, depth: int = 0) -> str | None:
	"""The first action `fn` names to the access point, looking into the api's own helpers it calls."""
	fn, tree = _tree(fn)
	for call in _calls(tree):
		func = call.func
		if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "access":
			if func.attr in ACCESS_CALLS:
				for arg in call.args:
					if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "." in arg.value:
						return arg.value
			continue
		name = func.id if isinstance(func, ast.Name) else None
		target = fn.__globals__.get(name) if name else None
		if inspect.isfunction(target) and target.__module__.startswith("rma_portal.api") and depth < 2:
			inner = access_action(target, depth + 1)
			if inner:
				return inner
	return None


def dealer_methods() -> list[tuple]:
	"""(function, action) of every dealer-facing method."""
	out = []
	for fn in api_functions():
		action = access_action(fn)
		if action and action not in key_rules.SESSION_ONLY_ACTIONS and rules.needed(action):
			out.append((fn, action))
	return out


# -- one operation ---------------------------------------------------------------------------------


def _schema(annotation) -> dict:
	"""A JSON schema for a parameter's annotation (form values arrive as text: JSON for lists)."""
	if annotation is inspect.Parameter.empty or annotation is typing.Any:
		return {}
	args = typing.get_args(annotation)
	if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
		parts = [_schema(arg) for arg in args if arg is not type(None)]
		return parts[0] if len(parts) == 1 else {"oneOf": parts}
	origin = typing.get_origin(annotation) or annotation
	return {
		str: {"type": "string"},
		int: {"type": "integer"},
		float: {"type": "number"},
		bool: {"type": "boolean"},
		list: {"type": "array", "description": "a JSON list (as text in a form)"},
		dict: {"type": "object", "description": "a JSON object (as text in a form)"},
	}.get(origin, {})


def _parameters(fn) -> list[dict]:
	params = []
	for name, param in inspect.signature(inspect.unwrap(fn)).parameters.items():
		if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
			continue
		optional = param.default is not inspect.Parameter.empty
		annotation = param.annotation
		schema = _schema(annotation)
		if optional and param.default is not None and isinstance(param.default, str | int | float | bool):
			schema = {**schema, "default": param.default}
		entry = {"name": name, "required": not optional, "schema": schema}
		if name == "page":
			entry["description"] = f"Page number, 1 to {inputs.MAX_PAGE} (1 when left out)."
		params.append(entry)
	return params


FILE_ANSWERS = ("filecontent", "send_file")  # a download: Frappe's response, or api.send_file


def _returns_file(fn) -> bool:
	"""Does the method answer with a file? It sets Frappe's filecontent or calls api.send_file."""
	fn, tree = _tree(fn)
	names = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
	names |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
	return bool(names & set(FILE_ANSWERS))


def _result_schema(fn) -> dict:
	annotation = inspect.signature(inspect.unwrap(fn)).return_annotation
	return _schema(annotation) or {}


def _docstring(fn) -> tuple[str, str]:
	doc = inspect.cleandoc(inspect.unwrap(fn).__doc__ or "")
	summary = " ".join(doc.split("\n\n", 1)[0].split())
	return summary.split(". ")[0].rstrip(".")[:120], doc


def _success(fn) -> dict:
	if _returns_file(fn):
		return {
			"description": "The file (PDF or CSV), with its name in Content-Disposition.",
			"content": {"application/pdf": {}, "text/csv": {}, "application/octet-stream": {}},
		}
	return {
		"description": "The method's answer in `message`.",
		"content": {
			"application/json": {"schema": {"type": "object", "properties": {"message": _result_schema(fn)}}}
		},
	}


ERRORS = {
	"401": {"$ref": "#/components/responses/NotAuthenticated"},
	"403": {"$ref": "#/components/responses/Refused"},
	"404": {"$ref": "#/components/responses/NotFound"},
	"417": {"$ref": "#/components/responses/InvalidArgument"},
	"429": {"$ref": "#/components/responses/TooManyRequests"},
}


def operation(fn, action: str, http_method: str) -> dict:
	summary, doc = _docstring(fn)
	right = rules.needed(action)
	method_id = f"{fn.__module__.removeprefix('rma_portal.api.')}.{fn.__name__}"
	op = {
		"operationId": method_id if http_method == "get" or len(_methods(fn)) == 1 else f"{method_id}.post",
		"summary": summary,
		"description": f"{doc}\n\nNeeds: {RIGHT_NAMES.get(right, right)} (action `{action}`).",
		"tags": [fn.__module__.rsplit(".", 1)[1]],
		"x-rma-action": action,
		"x-rma-right": right,
		"responses": {"200": _success(fn), **ERRORS},
	}
	params = _parameters(fn)
	if http_method == "get":
		if params:
			op["parameters"] = [{**p, "in": "query"} for p in params]
	elif params:
		body = {
			"type": "object",
			"properties": {
				p["name"]: {
					**p["schema"],
					**({"description": p["description"]} if "description" in p else {}),
				}
				for p in params
			},
		}
		required = [p["name"] for p in params if p["required"]]
		if required:
			body["required"] = required
		op["requestBody"] = {
			"required": bool(required),
			"content": {
				"application/json": {"schema": body},
				"application/x-www-form-urlencoded": {"schema": body},
				"multipart/form-data": {"schema": body},
			},
		}
	return op


def _methods(fn) -> list[str]:
	return [m.lower() for m in (frappe.allowed_http_methods_for_whitelisted_func.get(fn) or ["GET", "POST"])]


# -- the document ----------------------------------------------------------------------------------

ERROR_SCHEMA = {
	"type": "object",
	"description": (
		"Frappe's error answer. `exc_type` names the error; `_server_messages` is a JSON list of JSON "
		"objects whose `message` says what was wrong, translated: a wrong argument's message names "
		"the field (e.g. `lines is not valid: a list was expected.`), a refusal names the right needed."
	),
	"properties": {
		"exc_type": {"type": "string", "examples": ["ValidationError", "PermissionError"]},
		"exception": {"type": "string"},
		"_server_messages": {"type": "string"},
	},
}


def _error(description: str) -> dict:
	return {
		"description": description,
		"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
	}


def build() -> dict:
	"""The document, the same on every site (no server address: `document` adds the site's)."""
	paths = {}
	for fn, action in dealer_methods():
		path = f"/api/method/{fn.__module__}.{fn.__name__}"
		paths[path] = {m: operation(fn, action, m) for m in _methods(fn)}
	return {
		"openapi": "3.1.0",
		"info": {
			"title": "RMA Portal dealer API",
			"version": rma_portal.__version__,
			"description": (
				"The portal's methods a company's own systems may call, as one of its users, with an API "
				"key made on /company/users (docs/api.md). Every call acts for the key's company only, "
				"with the key's rights; the same checks as in the browser apply. Arguments go in the query "
				"(GET) or the body (POST: JSON, form or multipart); lists and objects in a form are JSON "
				'text. Answers are `{"message": ...}`; errors are 4xx with a message naming the field or '
				"the right."
			),
		},
		"security": [{"RmaKey": []}],
		"paths": dict(sorted(paths.items())),
		"components": {
			"securitySchemes": {
				"RmaKey": {
					"type": "apiKey",
					"in": "header",
					"name": "Authorization",
					"description": "`Authorization: RmaKey <key id>:<secret>`; never together with a session cookie.",
				}
			},
			"schemas": {"Error": ERROR_SCHEMA},
			"responses": {
				"NotAuthenticated": _error(
					"No valid API key (unknown, revoked, or sent with a session cookie)."
				),
				"Refused": _error(
					"The key's user or rights may not do this for the company, or the document is not the company's."
				),
				"NotFound": _error("No such document or method."),
				"InvalidArgument": _error("An argument is missing or wrong; the message names the field."),
				"TooManyRequests": _error(
					"More calls than the key's requests per minute (or the method's limit)."
				),
			},
		},
	}


def dumps(document: dict) -> str:
	return json.dumps(document, indent=1, sort_keys=False, ensure_ascii=False) + "\n"


@cache
def _built_text() -> str:
	return dumps(build())


@frappe.whitelist(methods=["GET"])
def document() -> dict:
	"""The OpenAPI 3.1 document of the dealer API, with this site's address as its server."""
	access.require_login()
	served = json.loads(_built_text())
	served["servers"] = [{"url": frappe.utils.get_url()}]
	return served


def write_document(path: str | None = None) -> str:  # not whitelisted: bench execute
	"""Write the generated document to docs/openapi.json (after a method changed)."""
	target = Path(path) if path else DOCS_PATH
	target.write_text(dumps(build()), encoding="utf-8")
	return str(target)
