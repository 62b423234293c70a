"""Whitelisted methods for the company pages (SPEC §4): the switcher, company users, the company
authorisation, and the desk's Accept / Reject.

Portal methods ask rma_portal.access first: user management needs the US right or the administrator
(`member.*`), and always acts on the caller's current customer only; an authorisation request is the
caller's own. Desk methods check write permission on the Company Authorisation first.
"""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import parse_arg, per_user_limit, send_file, text_arg, text_args
from rma_portal.services.company import addresses, authorisations, invitations, members

# -- the switcher ---------------------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def switch_customer(customer: str) -> dict:
	"""Act for `customer` (one the caller is a member of) for the rest of the session."""
	chosen = access.choose_customer(text_arg(customer, "customer"))
	return {"customer": chosen}


# -- company users --------------------------------------------------------------------------------


def _rights_arg(rights) -> list[str]:
	values = parse_arg(rights, list, "rights")
	if not all(isinstance(value, str) for value in values):
		frappe.throw(
			_("{0} is not valid: {1} was expected.").format("rights", _("a list")), frappe.ValidationError
		)
	return values


def _bool_arg(value, field: str) -> bool | None:
	text = text_arg(value, field)
	if text is None or text == "":
		return None
	if text.lower() in ("1", "true", "yes", "on"):
		return True
	if text.lower() in ("0", "false", "no", "off"):
		return False
	frappe.throw(_("{0} is not valid: {1} was expected.").format(field, "0 / 1"), frappe.ValidationError)


@frappe.whitelist(methods=["GET"])
@frappe.read_only()
def list_members() -> list[dict]:
	"""The caller's company's members with their rights and supervisors."""
	customer = access.customer_for("member.read")
	return [
		{
			"name": row.name,
			"user": row.user,
			"full_name": row.full_name,
			"enabled": bool(row.enabled),
			"is_admin": bool(row.is_admin),
			"supervisor": row.supervisor,
			"all_documents": bool(row.all_documents),
			"flags": row.flags,
		}
		for row in members.list_members(customer)
	]


@frappe.whitelist(methods=["POST"])
@per_user_limit(30)  # each one sends an e-mail to an address the caller typed
def invite_member(
	email: str,
	first_name: str,
	last_name: str | None = None,
	rights: str | list | None = None,
	supervisor: str | None = None,
) -> dict:
	"""Invite a person to the caller's company by e-mail, with rights and a supervisor: they become a
	member when they accept. The answer says nothing about whether the address has an account."""
	customer = access.customer_for("member.write")
	result = invitations.invite(
		customer,
		text_arg(email, "email"),
		text_arg(first_name, "first_name"),
		text_arg(last_name, "last_name"),
		_rights_arg(rights if rights not in (None, "") else "[]"),
		text_arg(supervisor, "supervisor"),
		frappe.session.user,
	)
	return {"invitation": result["invitation"], "user": result["user"]}


@frappe.whitelist(methods=["POST"])
@per_user_limit(30)
def resend_invitation(name: str) -> dict:
	"""Send one of the caller's company's pending or expired invitations again (valid anew)."""
	customer = access.customer_for("member.write")
	return {"invitation": invitations.resend(customer, text_arg(name, "name"))}


@frappe.whitelist(methods=["POST"])
def accept_invitation(name: str) -> dict:
	"""The caller accepts an invitation addressed to them: they become a member of its company. Who
	acted for one company already goes on acting for it (the switcher offers the new one)."""
	user = access.require_portal_user()
	previous = access.acting_customer(user)
	member = invitations.accept(text_arg(name, "name"), user)
	access.clear_cache()
	if previous:
		access.choose_customer(previous, user)
	return {"member": member}


@frappe.whitelist(methods=["POST"])
def decline_invitation(name: str) -> dict:
	"""The caller declines an invitation addressed to them."""
	user = access.require_portal_user()
	invitations.decline(text_arg(name, "name"), user)
	return {"invitation": name}


@frappe.whitelist(methods=["POST"])
def update_member(
	name: str,
	rights: str | list | None = None,
	supervisor: str | None = None,
	enabled: str | int | None = None,
	all_documents: str | int | None = None,
) -> dict:
	"""Set a member's rights (a JSON list of flags: Frappe drops an argument named "flags"),
	supervisor ("" for none), document scope and enabled state."""
	customer = access.customer_for("member.write")
	member = text_arg(name, "name")
	members.member_of(customer, member)  # another company's member (or none) is "not found" first
	saved = members.update_member(
		customer,
		member,
		frappe.session.user,
		flags=None if rights in (None, "") else _rights_arg(rights),
		supervisor=text_arg(supervisor, "supervisor"),
		enabled=_bool_arg(enabled, "enabled"),
		all_documents=_bool_arg(all_documents, "all_documents"),
	)
	return {"name": saved}


@frappe.whitelist(methods=["POST"])
def add_linked_member(user: str) -> dict:
	"""Make the member record of a user staff linked to the caller's company (default rights)."""
	customer = access.customer_for("member.write")
	user = text_arg(user, "user")
	if not user or user not in access.linked_users(customer):
		raise frappe.DoesNotExistError(_("This user is not a member of your company."))
	return {"name": members.ensure_member(customer, user, link=False)}


# -- company authorisation ------------------------------------------------------------------------


def _uploads(field: str) -> list[dict]:
	files = []
	request_files = getattr(frappe.request, "files", None) if getattr(frappe, "request", None) else None
	for storage in request_files.getlist(field) if request_files else []:
		if not storage or not storage.filename:
			continue
		# one byte more than allowed, so an oversized file is recognised without reading it all
		files.append(
			{"filename": storage.filename, "content": storage.stream.read(authorisations.MAX_FILE_BYTES + 1)}
		)
	return files


@frappe.whitelist(methods=["POST"])
def add_company(
	company_name: str | None = None,
	vat_prefix: str | None = None,
	tax_id: str | None = None,
	address_line1: str | None = None,
	pincode: str | None = None,
	city: str | None = None,
	country: str | None = None,
) -> dict:
	"""Start a company authorisation: the company's data, with its registration documents as
	multipart `files` (PDF, JPG or PNG)."""
	user = access.require_portal_user()
	values = text_args(
		company_name=company_name,
		vat_prefix=vat_prefix,
		tax_id=tax_id,
		address_line1=address_line1,
		pincode=pincode,
		city=city,
		country=country,
	)
	name = authorisations.create(user, values, _uploads("files"))
	return {"name": name}


@frappe.whitelist(methods=["GET"])
def authorisation_pdf(name: str):
	"""The authorisation document of one of the caller's own requests, to print and sign."""
	user = access.require_portal_user()
	file_name, content = authorisations.authorisation_pdf(text_arg(name, "name"), user)
	send_file(file_name, content)


@frappe.whitelist(methods=["POST"])
def upload_signed_authorisation(name: str) -> dict:
	"""The signed and stamped authorisation (multipart `file`): the request goes to our staff."""
	user = access.require_portal_user()
	files = _uploads("file")
	authorisations.upload_signed(text_arg(name, "name"), user, files[0] if files else None)
	return {"name": name, "status": "Submitted"}


# -- desk -----------------------------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def accept_authorisation(name: str, replace: str | int | None = None) -> dict:
	frappe.has_permission(authorisations.DOCTYPE, "write", name, throw=True)
	return authorisations.accept(name, replace=bool(_bool_arg(replace, "replace")))


@frappe.whitelist(methods=["POST"])
def reject_authorisation(name: str, reason: str | None = None) -> dict:
	frappe.has_permission(authorisations.DOCTYPE, "write", name, throw=True)
	authorisations.reject(name, text_arg(reason, "reason"))
	return {"name": name, "status": "Rejected"}


# -- address book ---------------------------------------------------------------------------------

ADDRESS_ARGS = (
	"address_title",
	"address_type",
	"address_line1",
	"address_line2",
	"pincode",
	"city",
	"country",
)


@frappe.whitelist(methods=["GET"])
@frappe.read_only()
def list_addresses() -> list[dict]:
	"""The caller's company's addresses."""
	customer = access.customer_for("address.read")
	return addresses.addresses_of(customer)


@frappe.whitelist(methods=["POST"])
def save_address(
	name: str | None = None,
	address_title: str | None = None,
	address_type: str | None = None,
	address_line1: str | None = None,
	address_line2: str | None = None,
	pincode: str | None = None,
	city: str | None = None,
	country: str | None = None,
	is_shipping_address: str | int | None = None,
) -> dict:
	"""Add an address to the caller's company's book (no `name`) or change one of its addresses (AD)."""
	customer = access.customer_for("address.write")
	name = text_arg(name, "name") or None
	if name:  # another company's address (or none) is "not found" before anything else is read
		addresses.address_of(customer, name)
	given = (address_title, address_type, address_line1, address_line2, pincode, city, country)
	values = {field: text_arg(value, field) for field, value in zip(ADDRESS_ARGS, given, strict=True)}
	saved = addresses.save_address(
		customer,
		values,
		name=name,
		shipping=bool(_bool_arg(is_shipping_address, "is_shipping_address")),
	)
	return {"name": saved}


@frappe.whitelist(methods=["POST"])
def remove_address(name: str) -> dict:
	"""Take an address out of the caller's company's book (AD)."""
	customer = access.customer_for("address.write")
	addresses.remove_address(customer, text_arg(name, "name"))
	return {"name": name}


# -- final activation -----------------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def activate_company(
	data_confirmed: str | int | None = None,
	terms_accepted: str | int | None = None,
	e_invoices: str | int | None = None,
) -> dict:
	"""The administrator confirms the company's data, accepts the terms and may opt in to
	electronic invoices (recorded on the Customer with the date)."""
	customer = access.customer_for("company.activate")
	return authorisations.activate(
		customer,
		frappe.session.user,
		data_confirmed=bool(_bool_arg(data_confirmed, "data_confirmed")),
		terms_accepted=bool(_bool_arg(terms_accepted, "terms_accepted")),
		e_invoices=bool(_bool_arg(e_invoices, "e_invoices")),
	)
