"""A newcomer gets all the way in with nothing but the demo: registers as a partner, reads the
activation mail in the demo mailbox (scripts/mailbox: the site's "Demo mailbox" Email Account, made by
`bench rma-demo`, sends to the SMTP sink scripts/test starts; the test makes no e-mail account),
activates, lands on /welcome with the request's due date and the next step, staff approve the
business account, the partner adds the company on /company (the form pre-filled from the
registration) with its registered address, downloads, "signs" and uploads the authorisation, staff
accept it, the Address exists as the Customer's preferred billing address and Final activation shows
it, the partner invites a colleague, who reads the invitation and the welcome mail, sets a password,
logs in and accepts the invitation.

Queued e-mails are sent the way Frappe's scheduler would, one Email Queue row at a time, by
Administrator (the test site's scheduler is off).

Environment: RMA_BASE_URL, RMA_SCREENSHOTS (conftest.py), RMA_ADMIN_PASSWORD (default "admin"),
MAILBOX_DIR (default /opt/frappe-bench/mailbox).
"""

import json
import re
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect
from portal import (
	ADMIN,
	BASE_URL,
	DESKTOP,
	add_company,
	desk_csrf_token,
	form_login,
	logged_in_page,
	pdf_bytes,
	screenshot,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import demo_mailbox

PASSWORD = "Gearbox-Harbour-41"
COLLEAGUE_PASSWORD = "Lighthouse-Anchor-77"
TIMEOUT_MS = 30_000


@pytest.fixture
def staff(browser):
	"""Administrator: a desk page, REST calls with the session's CSRF token, and the e-mail queue."""
	context, page = logged_in_page(browser, ADMIN, timeout_ms=TIMEOUT_MS)
	token = desk_csrf_token(page, "/app/dealer-account-request", TIMEOUT_MS)

	class Staff:
		def call(self, method, path, data=None, params=None):
			r = context.request.fetch(
				f"{BASE_URL}{path}",
				method=method,
				params=params,
				data=json.dumps(data) if data is not None else None,
				headers={"X-Frappe-CSRF-Token": token, "Content-Type": "application/json"},
			)
			assert r.ok, f"{method} {path}: {r.status} {r.text()[:400]}"
			body = r.json()
			return body.get("data", body.get("message"))

		def list(self, doctype, filters, fields):
			return self.call(
				"GET",
				f"/api/resource/{doctype}",
				params={
					"filters": json.dumps(filters),
					"fields": json.dumps(fields),
					"limit_page_length": 50,
				},
			)

		def send_queued_mails(self, address):
			"""Send what Frappe queued for `address`, as the scheduler's frappe.email.queue.flush does."""
			queued = self.list(
				"Email Queue",
				[["Email Queue Recipient", "recipient", "=", address], ["status", "=", "Not Sent"]],
				["name"],
			)
			for row in queued:
				self.call(
					"POST",
					"/api/method/frappe.email.doctype.email_queue.email_queue.send_now",
					{"name": row["name"]},
				)

	staff = Staff()
	staff.page = page
	yield staff
	context.close()


def read_mail(staff, address, subject, after=0):
	"""The newest mail to `address` with `subject`, from the demo mailbox, once Frappe queued (the
	registration queues its mail just after answering) and sent it."""
	for _attempt in range(30):
		staff.send_queued_mails(address)
		try:
			return demo_mailbox.wait_for(address, subject=subject, after=after, timeout=2)
		except LookupError:
			continue
	raise AssertionError(f"no mail {subject!r} to {address} in the demo mailbox")


def register(page, address, company):
	page.goto(f"{BASE_URL}/register")
	page.fill("#reg-first-name", "Petra")
	page.fill("#reg-last-name", "Janssen")
	page.fill("#reg-company", company)
	page.fill("#reg-email", address)
	page.fill("#reg-phone", "+31 30 123 4567")
	page.fill("#reg-password", PASSWORD)
	page.check("#reg-terms", force=True)
	page.click(".reg-submit")
	expect(page.locator(".reg-done")).to_be_visible()


def approve_in_desk(staff, address):
	request = staff.list("Dealer Account Request", [["requested_by", "=", address]], ["name", "due_date"])[0]
	desk = staff.page
	desk.goto(f"{BASE_URL}/app/dealer-account-request/{request['name']}")
	desk.locator(".page-actions button:has-text('Approve')").click()
	desk.locator(".modal:visible .btn-primary:has-text('Yes')").click()
	expect(desk.locator(".indicator-pill:has-text('Approved')").first).to_be_visible()
	return request


def sign_and_upload(page, card, tmp_path):
	with page.expect_download() as download_info:
		card.get_by_role("link", name="Download the authorisation (PDF)").click()
	signed = tmp_path / "authorisation.pdf"
	download_info.value.save_as(signed)
	assert signed.read_bytes().startswith(b"%PDF")
	upload = card.locator("form.rma-upload-signed")
	upload.locator("[name=file]").set_input_files(
		{"name": "authorisation-signed.pdf", "mimeType": "application/pdf", "buffer": signed.read_bytes()}
	)
	upload.locator("button[type=submit]").click()
	expect(card.locator(".badge")).to_have_text("Submitted")


def accept_in_desk(staff, name):
	desk = staff.page
	desk.goto(f"{BASE_URL}/app/company-authorisation/{name}")
	head = desk.locator(".page-head:visible")
	decide = head.locator(".inner-group-button[data-label='Decide']")
	decide.locator("button").click()
	decide.locator(".dropdown-menu .dropdown-item").filter(has_text="Accept").click()
	desk.locator(".modal:visible").get_by_role("button", name="Yes").click()
	expect(head.locator(".indicator-pill")).to_contain_text("Accepted", timeout=TIMEOUT_MS)


def test_a_partner_gets_all_the_way_in_with_the_demo_mailbox(browser, staff, tmp_path):
	tag = uuid.uuid4().hex[:6]
	address = f"petra-{tag}@autoservice.example"
	company = f"Autoservice Janssen {tag}"
	context = browser.new_context(viewport=DESKTOP, base_url=BASE_URL, accept_downloads=True)
	page = context.new_page()
	page.set_default_timeout(TIMEOUT_MS)

	# registers; the activation mail arrives in the demo mailbox
	register(page, address, company)
	mail = read_mail(staff, address, "Activate your account")
	link = next(link for link in mail.links() if "/register/activate?key=" in link)
	assert re.search(r"key=[A-Za-z0-9_\-]{20,}", link)
	page.goto(link)
	page.fill("#reg-password", PASSWORD)
	page.click(".reg-submit")
	expect(page.locator(".reg-done")).to_contain_text("active")

	# first login: where the account stands, and the next step
	form_login(page, address, PASSWORD)
	page.wait_for_url("**/welcome")
	welcome = page.locator(".rma-next-step")
	expect(welcome.locator("[data-step=account]")).to_contain_text("we answer by")
	expect(welcome.locator(".rma-next-step-action")).to_have_text("Add your company")
	screenshot(page, "newcomer_04_welcome_next_step")

	# staff open the business account; the partner adds the company, pre-filled
	approve_in_desk(staff, address)
	# the company's name was typed once, at registration
	card = add_company(
		page, company, f"Werkplaatsweg {tag}", tag, "newcomer_05_company_form_prefilled", prefilled=True
	)
	sign_and_upload(page, card, tmp_path)
	screenshot(page, "newcomer_06_authorisation_submitted")
	accept_in_desk(staff, card.get_attribute("data-name"))

	# the registered address is the customer's preferred billing Address, shown at Final activation
	customer = staff.list("Customer", [["customer_name", "=", company]], ["name"])[0]["name"]
	addresses = staff.list(
		"Address",
		[["Dynamic Link", "link_name", "=", customer]],
		["address_line1", "address_type", "is_primary_address"],
	)
	assert {
		"address_line1": f"Werkplaatsweg {tag}",
		"address_type": "Billing",
		"is_primary_address": 1,
	} in addresses
	page.goto(f"{BASE_URL}/company")
	expect(page.locator(".rma-activation")).to_contain_text(f"Werkplaatsweg {tag}, 3511 AB Utrecht")
	screenshot(page, "newcomer_07_final_activation_address")
	activate = page.locator("form.rma-activate")
	activate.locator("[name=data_confirmed]").check()
	activate.locator("[name=terms_accepted]").check()
	activate.locator("button[type=submit]").click()
	expect(page.locator(".rma-activation")).to_contain_text("Activated on")
	page.goto(f"{BASE_URL}/portal")
	screenshot(page, "newcomer_08_portal_next_step")
	expect(page.locator(".rma-next-step-action")).to_have_text("Invite your colleagues")

	# the colleague: invited, reads the mails, sets a password, logs in and accepts
	colleague = f"carl-{tag}@autoservice.example"
	page.goto(f"{BASE_URL}/company/users")
	invite = page.locator("form.rma-invite")
	# a refusal is shown in the Invite form's own box, not under the first member's card
	invite.locator("[name=email]").fill("carl@autoservice")  # the browser's check lets it through
	invite.locator("[name=first_name]").fill("Carl")
	invite.locator("button[type=submit]").click()
	expect(invite.locator(".rma-errors")).to_contain_text("not a valid e-mail address")
	expect(page.locator(".rma-member .rma-errors:visible")).to_have_count(0)
	screenshot(page, "newcomer_09_invite_refused_next_to_the_form")
	invite.locator("[name=email]").fill(colleague)
	invite.locator("[name=first_name]").fill("Carl")
	invite.locator("[name=last_name]").fill("Clerk")
	invite.locator("button[type=submit]").click()
	page.wait_for_load_state("networkidle")
	expect(page.locator("body")).to_contain_text(colleague)
	screenshot(page, "newcomer_10_invited")
	invitation = read_mail(staff, colleague, "Invitation to act for")
	assert company in invitation.text()
	welcome_mail = demo_mailbox.wait_for(colleague, subject="Welcome", timeout=60)
	set_password = next(link for link in welcome_mail.links() if "update-password" in link)
	guest = browser.new_context(viewport=DESKTOP, base_url=BASE_URL)
	colleague_page = guest.new_page()
	colleague_page.set_default_timeout(TIMEOUT_MS)
	colleague_page.goto(set_password)
	colleague_page.locator("#new_password").press_sequentially(COLLEAGUE_PASSWORD)
	colleague_page.locator("#confirm_password").press_sequentially(COLLEAGUE_PASSWORD)  # keyup checks it
	expect(colleague_page.locator("#update")).to_be_enabled()
	colleague_page.click("#update")
	expect(colleague_page.locator(".modal:visible, .msgprint").first).to_contain_text(
		"Your new password has been set"
	)
	screenshot(colleague_page, "newcomer_11_colleague_password_set")
	guest.clear_cookies()  # then logs in with it, as on any later day
	form_login(colleague_page, colleague, COLLEAGUE_PASSWORD)
	colleague_page.wait_for_url("**/welcome")
	expect(colleague_page.locator(".rma-next-step-action")).to_have_text("Answer the invitation")
	screenshot(colleague_page, "newcomer_12_colleague_welcome")
	colleague_page.click(".rma-next-step-action")
	invitation_card = colleague_page.locator(".rma-invitation").filter(has_text=company)
	expect(invitation_card).to_be_visible()
	screenshot(colleague_page, "newcomer_13_colleague_invitation")
	invitation_card.get_by_role("button", name="Accept").click()
	colleague_page.wait_for_load_state("networkidle")
	colleague_page.goto(f"{BASE_URL}/company")
	expect(colleague_page.locator(".rma-company")).to_contain_text(company)
	screenshot(colleague_page, "newcomer_14_colleague_member")
	contacts = staff.list("Contact", [["Dynamic Link", "link_name", "=", customer]], ["user"])
	assert {row["user"] for row in contacts} >= {address, colleague}, contacts
	guest.close()
	context.close()
