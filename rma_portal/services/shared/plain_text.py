"""Customer-typed text stays plain text, whoever saves the document (portal or desk); customer-typed
names are names the desk accepts before anything is filed."""

import frappe
from frappe import _

from rma_portal.domain.inputs import NAME_MAX_LENGTH, document_name, name_too_long, plain_text

TEXT_FIELDTYPES = ("Data", "Small Text", "Text", "Long Text")

# Fields of the app's DocTypes whose text later becomes a document's name or title: the Customer and
# its Address (company names), the Contact and User (a person's names).
NAME_FIELDS = {
	"Company Authorisation": ("company_name",),
	"Dealer Account Request": ("account_name", "new_account_name", "first_name", "last_name"),
	"Portal Registration": ("company_name", "first_name", "last_name"),
}


def keep_plain_text(doc):
	"""Strip markup from every text field of `doc` and its rows. Frappe's sanitizer keeps links and
	images in text fields: an <img> in a claim was fetched when staff opened it (a tracking pixel)."""
	for row in [doc, *doc.get_all_children()]:
		for df in row.meta.get("fields", {"fieldtype": ["in", TEXT_FIELDTYPES]}):
			value = row.get(df.fieldname)
			if isinstance(value, str) and "<" in value:
				row.set(df.fieldname, plain_text(value))


def keep_valid_names(doc, method=None):
	"""doc_events validate: the NAME_FIELDS of `doc` cleaned as domain.inputs.document_name does
	("<", ">" and markup removed, one line); too long, or nothing left of what was typed, is refused
	now, naming the field, instead of when staff accept it (Frappe refuses such a Customer name)."""
	for field in NAME_FIELDS.get(doc.doctype, ()):
		typed = doc.get(field)
		if not isinstance(typed, str):
			continue
		name = valid_name(typed, _(doc.meta.get_label(field)))
		doc.set(field, name or None)


def valid_name(typed: str | None, label: str) -> str:
	"""`typed` as a name the desk accepts, or a translated 417 naming the field (`label`)."""
	name = document_name(typed)
	if name_too_long(name):
		frappe.throw(_("{0}: at most {1} characters.").format(label, NAME_MAX_LENGTH), frappe.ValidationError)
	if (typed or "").strip() and not name:
		frappe.throw(_("{0}: please type the name as plain text.").format(label), frappe.ValidationError)
	return name
