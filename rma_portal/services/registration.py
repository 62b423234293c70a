"""Guest registration and activation (SPEC §3), on Frappe's User, password policy and e-mail queue.

- `register` checks every field at once, then answers the same way whether or not the e-mail is
  known: a new address gets a Website User, a Portal Registration (consents, activation) and an
  activation e-mail; a pending registration is replaced (the newest wins, its old link stops working);
  an address that already has an account gets a "you already have an account" e-mail instead.
- The activation link holds a random key; only its SHA-256 is stored. It is single-use, expires after
  the hours set in Dealer Registration Settings (default 48), and asks for the password chosen at
  registration, so a registration made by someone else with your address cannot become your account.
- Until activation, login is refused with a message that offers to send the link again (`on_login`).
- A partner's activation files a "create business account and add user" Dealer Account Request.
"""

import hashlib
import secrets

import frappe
from frappe import _
from frappe.utils import add_to_date, escape_html, format_datetime, get_datetime, get_url, now_datetime
from frappe.utils.password import check_password, update_password

from rma_portal.domain import account_requests as request_rules
from rma_portal.domain import registration as rules
from rma_portal.domain.tax_ids import VAT_PREFIXES, TaxIdError, check_tax_id, compact
from rma_portal.services import account_requests
from rma_portal.services.plain_text import plain_text

DOCTYPE = "Portal Registration"
TEXT_FIELDS = ("first_name", "last_name", "company_name", "phone")


class ActivationError(frappe.ValidationError):
	"""An activation link that is unknown or already used."""

	http_status_code = 404


def label(fieldname: str) -> str:
	if fieldname == "password":
		return _("Password")
	if fieldname == "accept_terms":
		return _("Terms and privacy")
	return _(frappe.get_meta(DOCTYPE).get_label(fieldname))


def key_hash(key: str) -> str:
	return hashlib.sha256(str(key or "").encode()).hexdigest()


# Checking a registration
# -----------------------


def cleaned(values: dict) -> dict:
	"""The form's values as stored: trimmed plain text, the e-mail in lower case, the prefix upper."""
	out = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
	for field in TEXT_FIELDS:
		if out.get(field) and "<" in out[field]:
			out[field] = plain_text(out[field]).strip()
	out["email"] = rules.normalise_email(values.get("email"))
	out["vat_prefix"] = compact(values.get("vat_prefix"))
	out["tax_id"] = compact(values.get("tax_id"))
	out["password"] = values.get("password") or ""
	if out.get("client_type") != rules.PARTNER:
		out["company_name"] = None
	return out


def problem_message(field: str, reason: str, values: dict) -> str:
	if reason == rules.REQUIRED:
		return _("{0} is required.").format(label(field))
	if reason == rules.TOO_LONG:
		limit = rules.MAX_PASSWORD if field == "password" else rules.MAX_LENGTH[field]
		return _("{0} is too long: at most {1} characters.").format(label(field), limit)
	if reason == rules.NOT_ACCEPTED:
		return _("Please accept the terms and the privacy policy.")
	if field == "email":
		return _("{0}: {1} is not a valid e-mail address.").format(label(field), values.get("email"))
	if field == "phone":
		return _("{0}: enter a phone number of 6 to 20 digits, for example +31 30 123 4567.").format(
			label(field)
		)
	return _("{0}: choose Partner or Private person.").format(label(field))


def password_problem(values: dict) -> str | None:
	"""Frappe's password policy (System Settings: minimum score), and at least eight characters."""
	from frappe.core.doctype.user.user import test_password_strength

	password = values["password"]
	if len(password) < rules.MIN_PASSWORD:
		return _("{0}: use at least {1} characters.").format(label("password"), rules.MIN_PASSWORD)
	result = test_password_strength(
		password, user_data=(values.get("first_name"), None, values.get("last_name"), values["email"], None)
	)
	feedback = (result or {}).get("feedback") or {}
	if result and not feedback.get("password_policy_validation_passed"):
		hint = " ".join(filter(None, [feedback.get("warning"), *(feedback.get("suggestions") or [])]))
		return _("{0}: too easy to guess. {1}").format(label("password"), hint).strip()
	return None


def check(values: dict) -> None:
	"""Every problem at once, each naming its field (417)."""
	found = rules.problems(values)
	messages = [problem_message(field, reason, values) for field, reason in found]
	if values.get("vat_prefix") and values["vat_prefix"] not in VAT_PREFIXES and not values.get("tax_id"):
		messages.append(
			f"{label('vat_prefix')}: "
			+ account_requests.tax_id_message(TaxIdError("unknown_prefix", values["vat_prefix"]))
		)
	elif values.get("tax_id"):
		try:
			check_tax_id(values.get("vat_prefix"), values["tax_id"])
		except TaxIdError as e:
			messages.append(f"{label('tax_id')}: {account_requests.tax_id_message(e)}")
	if values.get("password") and not any(f == "password" for f, _reason in found):
		problem = password_problem(values)
		if problem:
			messages.append(problem)
	if messages:
		frappe.throw("<br>".join(messages), frappe.ValidationError, title=_("Please check the form"))


def signups_disabled() -> bool:
	"""Website Settings' "Disable signups" closes the registration (and hides the login page's link)."""
	return bool(frappe.utils.cint(frappe.get_website_settings("disable_signup")))


def open_signups():
	"""On install: the login page shows its "Sign up" link, which leads to /register."""
	frappe.db.set_single_value("Website Settings", "disable_signup", 0)


def close_signups():
	"""On uninstall: Frappe's own sign-up (no activation, no limit per address) would be open again
	once this app's override is gone; closed, as Frappe installs it."""
	frappe.db.set_single_value("Website Settings", "disable_signup", 1)


def require_open_registration():
	if signups_disabled():
		frappe.throw(_("Registration is closed. Please contact us."), frappe.PermissionError)


def require_outgoing_mail():
	from rma_portal.services.notify import has_outgoing_account

	if not has_outgoing_account():
		frappe.throw(
			_("Registration is not available at the moment: no e-mail can be sent. Please contact us."),
			frappe.ValidationError,
		)


# Registering
# -----------


def register(values: dict, lang: str | None = None) -> None:
	"""Check the form, then act on the address (see the module's text). Answers nothing: the caller
	gives every registrant the same answer."""
	require_open_registration()
	values = cleaned(values)
	check(values)
	require_outgoing_mail()
	lang = lang or frappe.local.lang or "en"
	email = values["email"]
	pending = frappe.db.get_value(DOCTYPE, {"name": email, "activated_on": ("is", "not set")}, "name")
	if frappe.db.exists("User", email) and not pending:
		send_known_address_mail(email, lang)
		return
	registration = save_registration(values, lang, pending)
	key = issue_key(registration)
	send_activation_mail(registration, key)


def save_registration(values: dict, lang: str, pending: str | None):
	email, now = values["email"], now_datetime()
	if pending and not frappe.db.exists("User", email):
		frappe.delete_doc(DOCTYPE, pending, ignore_permissions=True, force=True)
		pending = None
	if pending:
		user = frappe.get_doc("User", email)
		user.update(
			{
				"first_name": values["first_name"],
				"last_name": values["last_name"],
				"phone": values["phone"],
				"language": lang,
			}
		)
		user.save(ignore_permissions=True)
		update_password(email, values["password"])
	else:
		make_user(values, lang)
	doc = frappe.get_doc(DOCTYPE, pending) if pending else frappe.new_doc(DOCTYPE)
	consent = rules.accepted(values.get("marketing_consent"))
	doc.update(
		{
			"email": email,
			"user": email,
			"client_type": values["client_type"],
			"first_name": values["first_name"],
			"last_name": values["last_name"],
			"company_name": values.get("company_name"),
			"phone": values["phone"],
			"language": lang if frappe.db.exists("Language", lang) else None,
			"vat_prefix": values.get("vat_prefix") or None,
			"tax_id": values.get("tax_id") or None,
			"terms_accepted_on": now,
			"marketing_consent": 1 if consent else 0,
			"marketing_consent_on": now if consent else None,
			"marketing_text_version": account_requests.settings().marketing_text_version if consent else None,
		}
	)
	doc.save(ignore_permissions=True) if pending else doc.insert(ignore_permissions=True)
	return doc


def make_user(values: dict, lang: str) -> str:
	"""A Website User who cannot log in before activation (on_login); the password is set now."""
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": values["email"],
			"first_name": values["first_name"],
			"last_name": values["last_name"],
			"phone": values["phone"],
			"user_type": "Website User",
			"language": lang if frappe.db.exists("Language", lang) else None,
			"send_welcome_email": 0,
			"new_password": values["password"],
		}
	)
	default_role = frappe.db.get_single_value("Portal Settings", "default_role")
	if default_role:
		user.append("roles", {"role": default_role})
	user.flags.ignore_permissions = True
	user.flags.ignore_password_policy = True  # checked in check(), with every other problem
	user.insert()
	return user.name


def issue_key(doc) -> str:
	"""A new single-use key (the previous link stops working), valid for the configured hours."""
	key = secrets.token_urlsafe(32)
	doc.db_set(
		{
			"activation_key": key_hash(key),
			"activation_expires": add_to_date(
				now_datetime(), hours=account_requests.settings().activation_hours
			),
		},
		update_modified=False,
	)
	return key


# Activation
# ----------


def registration_for_key(key: str | None, for_update: bool = False):
	"""The pending registration of an activation key; ActivationError (404) for an unknown or used one."""
	name = key and frappe.db.get_value(
		DOCTYPE,
		{"activation_key": key_hash(key), "activated_on": ("is", "not set")},
		"name",
		for_update=for_update,
	)
	if not name:
		frappe.throw(
			_("This activation link is not valid or was already used. Log in, or ask for a new link."),
			ActivationError,
		)
	return frappe.get_doc(DOCTYPE, name)


def is_expired(doc) -> bool:
	return not doc.activation_expires or get_datetime(doc.activation_expires) < now_datetime()


def expired_message(doc) -> str:
	return _("This activation link expired on {0}. Ask for a new one below.").format(
		format_datetime(doc.activation_expires)
	)


def activate(key: str | None, password: str | None) -> str:
	"""Activate the registration of `key` once the registration's password is given; a partner's
	account request is filed. Returns the user."""
	doc = registration_for_key(key, for_update=True)
	if is_expired(doc):
		frappe.throw(expired_message(doc), frappe.LinkExpired)
	try:
		check_password(doc.user, password or "", delete_tracker_cache=False)
	except frappe.AuthenticationError:
		frappe.throw(
			_("The password is not the one chosen when registering with this address."),
			frappe.ValidationError,
		)
	doc.activated_on = now_datetime()
	doc.activation_key = None
	doc.save(ignore_permissions=True)
	if doc.client_type == rules.PARTNER and not doc.account_request:
		doc.db_set("account_request", file_partner_request(doc), update_modified=False)
	return doc.user


def file_partner_request(doc) -> str | None:
	"""The partner's "create business account and add user" request. A problem with it (settings
	changed since) is logged for staff and does not undo the activation."""
	frappe.db.savepoint("partner_request")
	try:
		return account_requests.file_request(
			{
				"request_type": request_rules.CREATE,
				"new_account_name": doc.company_name,
				"vat_prefix": doc.vat_prefix,
				"tax_id": doc.tax_id,
				"account_language": doc.language,
				"user_email": doc.email,
				"first_name": doc.first_name,
				"last_name": doc.last_name,
				"user_language": doc.language,
				"notes": _("Filed by the portal registration of {0} ({1}).").format(doc.email, doc.phone),
			},
			doc.user,
		)
	except Exception:
		frappe.db.rollback(save_point="partner_request")
		frappe.log_error(title=f"Account request of registration {doc.name} not filed")
		return None


def resend(email: str | None) -> None:
	"""A new activation link for a pending registration; nothing for any other address."""
	email = rules.normalise_email(email)
	name = email and frappe.db.get_value(DOCTYPE, {"name": email, "activated_on": ("is", "not set")}, "name")
	if not name or not frappe.db.exists("User", email):
		return
	require_outgoing_mail()
	doc = frappe.get_doc(DOCTYPE, name)
	send_activation_mail(doc, issue_key(doc))


def pending_registration(user: str) -> str | None:
	return frappe.db.get_value(DOCTYPE, {"user": user, "activated_on": ("is", "not set")}, "name")


def refuse_login_before_activation(user: str) -> None:
	"""Called from the on_login hook, after the password was checked."""
	if user and pending_registration(user):
		link = "/register/resend?" + frappe.utils.urlencode({"email": user})
		frappe.throw(
			_("Your account is not activated yet: follow the link in the activation e-mail we sent you.")
			+ f' <a href="{escape_html(link)}">{_("Send the activation e-mail again")}</a>',
			frappe.AuthenticationError,
			title=_("Account not activated"),
		)


# E-mails, through Frappe's queue, in the registrant's language
# --------------------------------------------------------------


def send_activation_mail(doc, key: str):
	lang = doc.language or frappe.local.lang or "en"
	link = get_url("/register/activate?" + frappe.utils.urlencode({"key": key}))
	hours = account_requests.settings().activation_hours
	body = [
		_("Hello {0},", lang=lang).format(escape_html(doc.first_name or "")),
		_("please activate your account by following this link within {0} hours:", lang=lang).format(hours),
		f'<a href="{link}">{link}</a>',
		_("You will be asked for the password you chose when registering.", lang=lang),
		_("If you did not register, ignore this e-mail: no account is activated without it.", lang=lang),
	]
	if doc.client_type == rules.PARTNER:
		body.insert(
			3,
			_(
				"Once activated, your request for a business account for {0} goes to our team, who process it within two business days.",
				lang=lang,
			).format(escape_html(doc.company_name or "")),
		)
	frappe.sendmail(
		recipients=[doc.email],
		subject=_("Activate your account", lang=lang),
		message="".join(f"<p>{line}</p>" for line in body),
		reference_doctype=DOCTYPE,
		reference_name=doc.name,
		now=False,
	)


def send_known_address_mail(email: str, lang: str):
	lang = frappe.db.get_value("User", email, "language") or lang
	login, forgot = get_url("/login"), get_url("/login#forgot")
	body = [
		_(
			"Someone, perhaps you, tried to register with this e-mail address. You already have an account.",
			lang=lang,
		),
		_("Log in here: {0}", lang=lang).format(f'<a href="{login}">{login}</a>'),
		_("Forgot your password? Set a new one here: {0}", lang=lang).format(
			f'<a href="{forgot}">{forgot}</a>'
		),
		_("If it was not you, you can ignore this e-mail.", lang=lang),
	]
	frappe.sendmail(
		recipients=[email],
		subject=_("You already have an account", lang=lang),
		message="".join(f"<p>{line}</p>" for line in body),
		now=False,
	)
