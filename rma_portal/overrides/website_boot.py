"""before_request: a website user's page does not read the desk's workspaces.

Frappe v15 puts the desk's app switcher in every web page's boot data (website_settings ->
frappe.website.utils.get_boot_data -> frappe.apps.get_apps), and get_apps first reads every
Workspace and checks each against the user's roles (get_workspace_sidebar_items), whoever the user
is; when the answer is empty, get_default_path asks get_apps again. Twice 8-10 ms: 17-20 ms of the
50-57 ms of CPU a portal page cost a Load Dealer user, the same in Frappe's own /me (in-process,
benchmarks/page_profile.py); a website user's login asks get_default_path too. For a Website User
(and Guest) the answer is empty: no installed app's apps screen is for them (ERPNext's
check_app_permission refuses website users, the app adds none) and Frappe sends a website user away
from /app; with no apps there is no default path. So for them the page's boot data says so without
the reading; a System User's pages and the whitelisted frappe.apps.get_apps (the desk's own
switcher) are unchanged.

A login also fills the desk's boot caches (LoginManager.setup_boot_cache): the row count of every
table the database server holds, read from information_schema (one row per table of every site on
the server), and the domains' DocTypes and pages. The desk's boot reads them; a website user has no
desk, so their login leaves them to the next System User's: about a third of a website user's login
(wall time 85-98 ms, in-process), most of it the database server's work.

Installed by replacing the names the boot data and the login call, frappe.website.utils.get_apps and
get_default_path, frappe.auth.get_default_path and LoginManager.setup_boot_cache, at a process's
first request (Frappe handles a login before the before_request hooks: the process's very first
login still asks). v16's get_apps no longer reads the workspaces (and is cached per request):
nothing to install there (rma_portal.compat.web_boot_reads_workspaces).
"""

import frappe

from rma_portal.compat import web_boot_reads_workspaces


def before_request():
	if web_boot_reads_workspaces():
		install()


def install():
	from frappe import auth
	from frappe.website import utils as website_utils

	if getattr(website_utils.get_apps, "skips_website_users", False):
		return
	website_utils.get_apps = _skipping_website_users(website_utils.get_apps, [])
	website_utils.get_default_path = _skipping_website_users(website_utils.get_default_path, None)
	auth.get_default_path = _skipping_website_users(auth.get_default_path, None)
	login_manager = auth.LoginManager
	login_manager.setup_boot_cache = _skipping_website_users(login_manager.setup_boot_cache, None)


def _skipping_website_users(frappe_function, for_website_users):
	"""`frappe_function`, answering `for_website_users` at once for a website user."""

	def for_the_session(*args, **kwargs):
		if is_website_user():
			return for_website_users
		return frappe_function(*args, **kwargs)

	for_the_session.skips_website_users = True
	return for_the_session


def is_website_user() -> bool:
	"""The session's user is a Website User (Guest is one), from the cached User document."""
	return frappe.get_cached_value("User", frappe.session.user, "user_type") == "Website User"
