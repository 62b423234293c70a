"""The desk's print formats of an RMA and a Customer Warranty Claim: the portal's own PDFs, in the desk.
The claim's own function is services/warranty/warranty_claims.rma_portal_claim_print; it frames its
template with letter_head_html and scoped_part from here.

The standard Print Formats "RMA Return Form" and "Customer Warranty Claim" (print_format/) are one line of
Jinja calling these functions (hooks.py `jinja`), so the desk prints what the portal offers: the RMA's
return form and label (services/returns/documents.py, templates/rma/) and the claim PDF
(services/warranty/warranty_claims.py, templates/warranty/claim.html), the same templates and context.
Frappe's print view puts them in its page (letter head, language, PDF); the company's default letter
head comes first, else the one Frappe chose. The HTML is the templates' own, which escape every
value a user typed (print formats render without autoescape).

Frappe imports this module (a jinja method's) at the first template every process renders, each job
RQ forks among them: documents (and the PDF machinery it imports) is imported only when a print
format is rendered, 60-130 ms of CPU less for a job or web worker that renders another template.
"""

import re

import frappe

_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_BODY = re.compile(r"<body>(.*)</body>", re.S)


def rma_portal_rma_print(doc, letter_head: str | None = None, no_letterhead=0) -> str:
	"""The RMA's return form, then its return label on a page of its own."""
	from rma_portal.services.returns import documents

	context = documents.documents_context(doc)
	form = frappe.render_template(documents.FORM_TEMPLATE, context)
	label = frappe.render_template(documents.LABEL_TEMPLATE, context)
	parts = [
		letter_head_html(doc, letter_head, no_letterhead),
		scoped_part(form, "rma-form"),
		scoped_part(label, "rma-label", 'style="page-break-before: always; max-width: 95mm;"'),
	]
	return "\n".join(parts)


def scoped_part(rendered: str, scope: str, attributes: str = "") -> str:
	"""A rendered template's body in a div of class `scope`, its style rules applied inside it only
	(its PDF page margins left to Frappe's print settings)."""
	from rma_portal.services.returns import documents

	css = documents._scoped(_STYLE.search(rendered).group(1), f".{scope}")
	body = _BODY.search(rendered).group(1)
	return f'<style>\n{css}</style>\n<div class="{scope}" {attributes}>{body}</div>'


def letter_head_html(doc, letter_head: str | None, no_letterhead) -> str:
	if frappe.utils.cint(no_letterhead):
		return ""
	name = (
		frappe.db.get_value("Company", doc.get("company"), "default_letter_head")
		if doc.get("company")
		else None
	)
	content = frappe.db.get_value("Letter Head", name, "content") if name else letter_head
	if not content:
		return ""
	return '<div class="letter-head">{}</div>'.format(frappe.render_template(content, {"doc": doc.as_dict()}))
