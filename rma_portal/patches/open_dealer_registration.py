"""The login page's "Sign up" leads to the dealer registration (/register): Frappe shows it only when
Website Settings' "Disable signups" is off, which is Frappe's default for new sites. Staff can tick it
again to close the registration."""

from rma_portal.services.accounts.registration import open_signups


def execute():
	open_signups()
