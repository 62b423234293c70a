"""Guest registration (SPEC §3): what the /register form must contain. Plain functions, no Frappe.

`problems(values)` lists every problem at once as (field, reason) pairs; the caller turns each into a
translated message naming the field. The password's strength and the tax id's check digits are
checked by the caller (Frappe's password policy, domain.tax_ids).
"""

import re

PARTNER = "Partner"
PRIVATE = "Private person"
CLIENT_TYPES = (PARTNER, PRIVATE)

# reasons
REQUIRED = "required"
TOO_LONG = "too_long"
INVALID = "invalid"
NOT_ACCEPTED = "not_accepted"

MAX_LENGTH = {
	"first_name": 80,
	"last_name": 80,
	"company_name": 140,
	"email": 140,
	"phone": 30,
	"vat_prefix": 2,
	"tax_id": 20,
}
# Frappe refuses longer passwords at login (frappe.auth.MAX_PASSWORD_SIZE is 512)
MAX_PASSWORD = 128
MIN_PASSWORD = 8

# the order the form shows them in, so the errors read in the same order
FIELDS = (
	"client_type",
	"first_name",
	"last_name",
	"company_name",
	"vat_prefix",
	"tax_id",
	"email",
	"phone",
	"password",
	"accept_terms",
)

_EMAIL = re.compile(r"^[^@\s<>\"'(),;:\\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")


def normalise_email(email) -> str:
	return str(email or "").strip().lower()


def is_email(email: str) -> bool:
	return bool(_EMAIL.match(email or "")) and len(email) <= MAX_LENGTH["email"]


def is_phone(phone: str) -> bool:
	digits = re.sub(r"\D", "", phone or "")
	return bool(_PHONE.match(phone or "")) and 6 <= len(digits) <= 20


def accepted(value) -> bool:
	"""A ticked box as a form sends it: 1, "1", "on", "true", True."""
	return str(value).strip().lower() in ("1", "on", "true", "yes")


def problems(values: dict) -> list[tuple[str, str]]:
	"""Every problem of a registration, in form order: (field, reason)."""
	found = []
	text = {f: str(values.get(f) or "").strip() for f in FIELDS}
	if text["client_type"] not in CLIENT_TYPES:
		found.append(("client_type", REQUIRED if not text["client_type"] else INVALID))
	required = ["first_name", "last_name", "email", "phone"]
	if text["client_type"] == PARTNER:
		required.append("company_name")
	for field in FIELDS:
		value = text[field]
		if field in required and not value:
			found.append((field, REQUIRED))
		elif field in MAX_LENGTH and len(value) > MAX_LENGTH[field]:
			found.append((field, TOO_LONG))
		elif field == "email" and not is_email(normalise_email(value)):
			found.append((field, INVALID))
		elif field == "phone" and not is_phone(value):
			found.append((field, INVALID))
	password = str(values.get("password") or "")
	if not password:
		found.append(("password", REQUIRED))
	elif len(password) > MAX_PASSWORD:
		found.append(("password", TOO_LONG))
	if not accepted(values.get("accept_terms")):
		found.append(("accept_terms", NOT_ACCEPTED))
	order = {f: n for n, f in enumerate(FIELDS)}
	return sorted(found, key=lambda p: order[p[0]])
