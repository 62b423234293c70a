"""before_request: the arguments of a call to one of the app's whitelisted methods are checked
against the method's signature before Frappe calls it.

Frappe calls `method(**form_dict)` with the arguments it knows and drops the others: a missing
required argument ended in a TypeError (HTTP 500) before the method's own argument helpers
(api/__init__.py) could answer. Here a missing required argument, an argument the method does not
take, or a value of the wrong type (the annotated type; a single value where none is annotated) is
a translated 417 naming the field, for every method of the app at once, also the app's overrides of
Frappe's methods (the rule: domain/inputs.call_problem).
"""

import inspect
import typing

import frappe
import frappe.handler
from frappe import _
from frappe.utils.typing_validations import SLACK_DICT, TypeAdapter

from rma_portal.domain import inputs, request_rules

APP_PREFIX = "rma_portal."
NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
# what a value of a type is called in the message, the first of the accepted types that has a name
TYPE_NAMES = (
	(str, lambda: _("a text")),
	(list, lambda: _("a list")),
	(dict, lambda: _("a set of fields")),
	(int, lambda: _("a number")),
	(float, lambda: _("a number")),
	(bool, lambda: _("yes or no")),
)


def before_request():
	request = getattr(frappe.local, "request", None)
	if not request or request.method == "OPTIONS":  # a CORS preflight carries no arguments
		return
	method = request_rules.method_of(request.path, frappe.form_dict.get("cmd"))
	fn = _resolve(method) if method else None
	if fn is None or not (getattr(fn, "__module__", None) or "").startswith(APP_PREFIX):
		return  # Frappe's own methods, and an unknown one (Frappe answers it: 417)
	# Frappe's own refusals first (a guest calling a member's method, GET on a POST method): their
	# answer does not depend on the arguments
	frappe.is_whitelisted(fn)
	frappe.handler.is_valid_http_method(fn)
	check_arguments(fn, frappe.form_dict)


def _resolve(method: str):
	"""The function Frappe will call: the app's own, or the app's override of one of Frappe's
	(override_whitelisted_methods in hooks.py)."""
	try:
		fn = frappe.get_attr(frappe.override_whitelisted_method(method))
	except Exception:
		return None
	return fn if callable(fn) else None


def check_arguments(fn, arguments: dict):
	"""Throw a translated ValidationError (417) naming the field when `arguments` do not fit `fn`."""
	parameters = inspect.signature(fn).parameters  # follows functools.wraps to the method itself
	named = {name: p.default is p.empty for name, p in parameters.items() if p.kind in NAMED}
	open_ended = any(p.kind == p.VAR_KEYWORD for p in parameters.values())
	problem = inputs.call_problem(named, arguments.keys(), open_ended)
	if problem and problem[0] == "missing":
		frappe.throw(_("{0} is missing: this request needs it.").format(problem[1]), frappe.ValidationError)
	if problem:
		frappe.throw(_("{0} is not a field of this request.").format(problem[1]), frappe.ValidationError)
	for name, value in arguments.items():
		parameter = parameters.get(name)
		if parameter is not None and parameter.kind in NAMED and not _fits(parameter, value):
			frappe.throw(
				_("{0} is not valid: {1} was expected.").format(name, _type_name(parameter.annotation)),
				frappe.ValidationError,
			)


def _accepted_types(parameter: inspect.Parameter) -> tuple:
	annotation = parameter.annotation
	types = (
		typing.get_args(annotation)
		if typing.get_origin(annotation) in (typing.Union, type(str | None))
		else ()
	)
	types = list(types or (annotation,))
	types = [t for slack in types for t in (SLACK_DICT.get(slack) or (slack,))]
	if parameter.default is not parameter.empty:
		types.append(type(parameter.default))
	return tuple(types)


def _fits(parameter: inspect.Parameter, value) -> bool:
	"""Does `value` have a type the signature accepts? The test Frappe applies after this hook
	(frappe.utils.typing_validations), here to answer in the user's language."""
	if parameter.annotation is parameter.empty:
		# no type given (the app's overrides keep Frappe's signatures): a form's single value
		return isinstance(value, inputs.SCALARS)
	if isinstance(parameter.annotation, str | typing.ForwardRef):
		return True
	try:
		TypeAdapter(typing.Union[_accepted_types(parameter)]).validate_python(value)  # noqa: UP007
	except Exception:
		return False
	return True


def _type_name(annotation) -> str:
	types = typing.get_args(annotation) or (annotation,)
	for kind, name in TYPE_NAMES:
		if kind in types:
			return name()
	return _("a text")
