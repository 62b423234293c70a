"""/register: a guest registers as a partner (business customer) or a private person (SPEC §3).

The form posts to rma_portal.api.registration.register; an activation e-mail follows. A logged-in
user has an account already and is sent to their account page."""

import frappe
from frappe import _, _lt

from rma_portal import access
from rma_portal.domain import registration as rules
from rma_portal.domain.tax_ids import VAT_PREFIXES
from rma_portal.services.accounts import registration
from rma_portal.services.accounts.account_requests import settings
from rma_portal.www.rma import script_json

no_cache = 1

# The texts public/js/registration.js shows through __(): translated here, handed to frappe._messages.
JS_MESSAGES = (
	"Sending...",
	"The server could not handle the request (error {0}). Please try again.",
	"Too many attempts: please wait an hour and try again.",
)
# Dealer Registration Settings' default consent text: shown through _(), so in the reader's language
# while staff keep the default (a text they write is shown as written, or as the Translation list has it)
DEFAULT_TEXTS = (_lt("I would like to receive news and offers by e-mail."),)


def redirect_to_account():
	"""A logged-in user has an account already: to their account requests."""
	frappe.local.flags.redirect_location = "/account-requests"
	raise frappe.Redirect(302)


def common_context(context, title: str):
	context.no_cache = 1
	context.title = title
	context.show_sidebar = False
	context.js_messages_json = script_json({message: _(message) for message in JS_MESSAGES})


def guest_context(context, title: str):
	"""A registration page's context; the pages are for guests (a logged-in user goes to their account requests)."""
	if not access.is_guest():
		redirect_to_account()
	common_context(context, title)


def url_text(name: str) -> str:
	"""A text argument of the page's URL, or "" (missing, or given twice)."""
	value = frappe.form_dict.get(name)
	return value if isinstance(value, str) else ""


def get_context(context):
	guest_context(context, _("Register"))
	context.closed = registration.signups_disabled()
	conf = settings()
	context.update(
		{
			"client_types": [
				{
					"value": rules.PARTNER,
					"label": _("Partner (business customer)"),
					"help": _("You buy for a company: we open a business account for it after a check."),
				},
				{
					"value": rules.PRIVATE,
					"label": _("Private person"),
					"help": _("You buy for yourself."),
				},
			],
			"vat_prefixes": VAT_PREFIXES,
			"terms_page": conf.terms_page,
			"privacy_page": conf.privacy_page,
			"marketing_text": conf.marketing_text,
			"activation_hours": conf.activation_hours,
			"max_length": rules.MAX_LENGTH,
			"min_password": rules.MIN_PASSWORD,
		}
	)
	return context
