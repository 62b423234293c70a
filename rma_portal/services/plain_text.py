"""Customer-typed text stays plain text, whoever saves the document (portal or desk)."""

from rma_portal.domain.inputs import plain_text

TEXT_FIELDTYPES = ("Data", "Small Text", "Text", "Long Text")


def keep_plain_text(doc):
	"""Strip markup from every text field of `doc` and its rows. Frappe's sanitizer keeps links and
	images in text fields: an <img> in a claim was fetched when staff opened it (a tracking pixel)."""
	for row in [doc, *doc.get_all_children()]:
		for df in row.meta.get("fields", {"fieldtype": ["in", TEXT_FIELDTYPES]}):
			value = row.get(df.fieldname)
			if isinstance(value, str) and "<" in value:
				row.set(df.fieldname, plain_text(value))
