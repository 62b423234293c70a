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
from frappe.utils.password import check_password, delete_all_passwords_for, update_password

from rma_portal.domain import account_requests as request_rules
from rma_portal.domain import registration as rules
from rma_portal.domain.tax_ids import VAT_PREFIXES, TaxIdError, check_tax_id, compact
from rma_portal.services.accounts import account_requests, registration_limits
from rma_portal.services.company.authorisations import tax_id_message
from rma_portal.services.shared import new_users
from rma_portal.services.shared.plain_text import plain_text

DOCTYPE = "Portal Registration"
TEXT_FIELDS = ("first_name", "last_name", "company_name", "phone")
PASSWORD_FIELD = "password"  # the pending registration's password, in Frappe's __Auth table


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
			f"{label('vat_prefix')}: " + tax_id_message(TaxIdError("unknown_prefix", values["vat_prefix"]))
		)
	elif values.get("tax_id"):
		try:
			check_tax_id(values.get("vat_prefix"), values["tax_id"])
		except TaxIdError as e:
			messages.append(f"{label('tax_id')}: {tax_id_message(e)}")
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
	from rma_portal.services.shared.notify import has_outgoing_account

	if not has_outgoing_account():
		frappe.throw(
			_("Registration is not available at the moment: no e-mail can be sent. Please contact us."),
			frappe.ValidationError,
		)


# Registering
# -----------


def checked(values: dict) -> dict:
	"""The form's values cleaned, once every field is right (else 417 naming every problem)."""
	require_open_registration()
	values = cleaned(values)
	check(values)
	require_outgoing_mail()
	return values


def register(values: dict, lang: str | None = None, ip: str | None = None) -> None:
	"""Check the form, count the e-mail it will cause (registration_limits), answer, and then act on
	the address (see the module's text): the caller's answer goes out before the work that differs
	between a known, a pending and a new address, so neither the answer nor its time tells them apart.
	Answers nothing."""
	values = checked(values)
	registration_limits.spend(values["email"], ip)
	after_answer(act_on_registration, values, lang or frappe.local.lang or "en")


def act_on_registration(values: dict, lang: str) -> None:
	email = values["email"]
	if frappe.db.exists("User", email) and not pending_registration(email):
		send_known_address_mail(email, lang)
		return
	registration = save_registration(values, lang)
	send_activation_mail(registration, issue_key(registration))


def after_answer(work, *args) -> None:
	"""Run `work` once the answer has gone out (Frappe's after_response, in this process: the password
	never leaves it), in a transaction of its own; at once when there is no web request (bench
	console, a job). A failure is logged for staff: the registrant already has the answer every
	address gets."""

	def run():
		try:
			work(*args)
			frappe.db.commit()
		except Exception:
			frappe.db.rollback()
			frappe.log_error(title=f"Registration: {work.__name__} failed")
			frappe.db.commit()

	request = getattr(frappe.local, "request", None)
	if request is not None and getattr(request, "after_response", None) is not None:
		request.after_response.add(run)
	else:
		work(*args)


def save_registration(values: dict, lang: str):
	"""The pending registration of the address, made or replaced (the newest wins). No Frappe User
	is made before activation: unfinished sign-ups count nowhere against Frappe's new users an hour.
	The password is kept as Frappe keeps passwords (hashed in its __Auth table), for this record."""
	email, now = values["email"], now_datetime()
	name = frappe.db.get_value(DOCTYPE, email, "name")
	doc = frappe.get_doc(DOCTYPE, name) if name else frappe.new_doc(DOCTYPE)
	consent = rules.accepted(values.get("marketing_consent"))
	doc.update(
		{
			"email": email,
			# a registration made before users were made at activation keeps its User
			"user": email if frappe.db.exists("User", email) else None,
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
			"activated_on": None,
			"account_request": None,
		}
	)
	if name:
		doc.save(ignore_permissions=True)
	else:
		try:
			doc.insert(ignore_permissions=True)
		except frappe.DuplicateEntryError:  # the same address registered twice at once: the newest wins
			return save_registration(values, lang)
	update_password(doc.name, values["password"], doctype=DOCTYPE, fieldname=PASSWORD_FIELD)
	return doc


def make_user(doc, password: str) -> str:
	"""At activation: the Website User of registration `doc`, with the password just confirmed, and
	its Contact (Frappe would make it after the commit; made now, in the same transaction)."""
	from frappe.core.doctype.user.user import create_contact

	new_users.require_room_for_new_user()
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": doc.email,
			"first_name": doc.first_name,
			"last_name": doc.last_name,
			"phone": doc.phone,
			"user_type": "Website User",
			"language": doc.language or None,
			"send_welcome_email": 0,
			"new_password": password,
		}
	)
	default_role = frappe.db.get_single_value("Portal Settings", "default_role")
	if default_role:
		user.append("roles", {"role": default_role})
	user.flags.ignore_permissions = True
	user.flags.ignore_password_policy = True  # checked at registration, with every other problem
	user.insert()
	create_contact(user, ignore_mandatory=True)
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
	"""Activate the registration of `key` once the registration's password is given: the User and
	its Contact are made now, and a partner's account request is filed. Returns the user."""
	doc = registration_for_key(key, for_update=True)
	if is_expired(doc):
		frappe.throw(expired_message(doc), frappe.LinkExpired)
	if not password_matches(doc, password or ""):
		frappe.throw(
			_("The password is not the one chosen when registering with this address."),
			frappe.ValidationError,
		)
	if doc.user and frappe.db.exists("User", doc.user):
		update_password(doc.user, password)  # the password chosen with the newest registration
	else:
		doc.user = make_user(doc, password)
	doc.activated_on = now_datetime()
	doc.activation_key = None
	doc.save(ignore_permissions=True)
	delete_all_passwords_for(DOCTYPE, doc.name)  # the User has it now
	if doc.client_type == rules.PARTNER and not doc.account_request:
		doc.db_set("account_request", file_partner_request(doc), update_modified=False)
	return doc.user


def password_matches(doc, password: str) -> bool:
	"""The password chosen at registration: kept on the registration (or, for a registration made
	before users were made at activation, on its User)."""
	for doctype, name in ((DOCTYPE, doc.name), ("User", doc.user)):
		if not name:
			continue
		try:
			check_password(
				name, password, doctype=doctype, fieldname=PASSWORD_FIELD, delete_tracker_cache=False
			)
			return True
		except frappe.AuthenticationError:
			continue
	return False


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


def resend(email: str | None, ip: str | None = None) -> None:
	"""The activation link again. Every valid address gets one e-mail, counted like a registration,
	after the answer: a pending registration a new link, an account "you already have an account",
	any other address "no registration is waiting" — the same answer, in the same time."""
	email = rules.normalise_email(email)
	if not rules.is_email(email):
		frappe.throw(problem_message("email", rules.INVALID, {"email": email}), frappe.ValidationError)
	require_outgoing_mail()
	registration_limits.spend(email, ip)
	after_answer(act_on_resend, email, frappe.local.lang or "en")


def act_on_resend(email: str, lang: str) -> None:
	name = frappe.db.get_value(DOCTYPE, {"name": email, "activated_on": ("is", "not set")}, "name")
	if frappe.db.exists("User", email) and not pending_registration(email):
		send_known_address_mail(email, lang)
	elif name:
		doc = frappe.get_doc(DOCTYPE, name)
		send_activation_mail(doc, issue_key(doc))
	else:
		send_no_registration_mail(email, lang)


def pending_password_matches(email: str, password: str) -> bool:
	"""Is this a pending registration (no User yet) and its password? For the login page's answer."""
	email = rules.normalise_email(email)
	name = frappe.db.get_value(DOCTYPE, {"name": email, "activated_on": ("is", "not set")}, "name")
	if not name or frappe.db.exists("User", email) or not password:
		return False
	try:
		check_password(name, password, doctype=DOCTYPE, fieldname=PASSWORD_FIELD, delete_tracker_cache=False)
		return True
	except frappe.AuthenticationError:
		return False


def company_typed_at_registration(user: str) -> dict:
	"""What a partner typed about their company when registering, to pre-fill the company form on
	/company (one company form: nothing is typed twice); the country from the VAT prefix."""
	row = frappe.db.get_value(
		DOCTYPE,
		{"user": user, "client_type": rules.PARTNER, "activated_on": ("is", "set")},
		["company_name", "vat_prefix", "tax_id"],
		as_dict=True,
	)
	if not row:
		return {}
	iso = {"EL": "gr", "XI": "gb"}.get(row.vat_prefix or "", (row.vat_prefix or "").lower())
	country = iso and frappe.db.get_value("Country", {"code": iso}, "name")
	return {**row, "country": country or None}


def pending_registration(user: str) -> str | None:
	"""The pending registration of a User made before activation (registrations made before users
	were made at activation)."""
	return frappe.db.get_value(DOCTYPE, {"user": user, "activated_on": ("is", "not set")}, "name")


def not_activated_message(email: str) -> str:
	link = "/register/resend?" + frappe.utils.urlencode({"email": email})
	return (
		_("Your account is not activated yet: follow the link in the activation e-mail we sent you.")
		+ f' <a href="{escape_html(link)}">{_("Send the activation e-mail again")}</a>'
	)


def refuse_login_before_activation(user: str) -> None:
	"""Called from the on_login hook, after the password was checked: a registration made before
	users were made at activation has its User already."""
	if user and pending_registration(user):
		frappe.throw(
			not_activated_message(user), frappe.AuthenticationError, title=_("Account not activated")
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
	_send_paragraphs(
		doc.email,
		_("Activate your account", lang=lang),
		body,
		reference_doctype=DOCTYPE,
		reference_name=doc.name,
	)


def _send_paragraphs(email: str, subject: str, paragraphs: list[str], **reference) -> None:
	"""Queue a mail whose body is `paragraphs` (already translated and escaped), one <p> each."""
	frappe.sendmail(
		recipients=[email],
		subject=subject,
		message="".join(f"<p>{line}</p>" for line in paragraphs),
		now=False,
		**reference,
	)


def send_no_registration_mail(email: str, lang: str):
	"""The answer to "send the activation link again" for an address with no registration waiting."""
	register = get_url("/register")
	body = [
		_("Someone, perhaps you, asked for an activation link for this e-mail address.", lang=lang),
		_(
			"No registration is waiting for activation under this address. To open an account, register here: {0}",
			lang=lang,
		).format(f'<a href="{register}">{register}</a>'),
		_("If it was not you, you can ignore this e-mail.", lang=lang),
	]
	_send_paragraphs(email, _("No registration waiting for activation", lang=lang), body)


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
	_send_paragraphs(email, _("You already have an account", lang=lang), body)
