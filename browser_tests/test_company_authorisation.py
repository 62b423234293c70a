"""Company authorisation and company users end to end (SPEC §4): a new portal user adds their company
on /company with a registration document, downloads the authorisation PDF (its text read back, and
rendered to PNG with pdftoppm for a look), uploads it signed; staff accept it in the desk form's
Decide menu; the new administrator invites a colleague with RM but not FI on /company/users, adds a
delivery address and activates the company with electronic invoices; the colleague files an RMA and is
refused the invoices.

The company is the demo's "Demo Dealer" (staff link the authorisation to it), so the colleague has a
delivery history to return from; a later run replaces the earlier run's administrator (staff confirm).

Environment: RMA_BASE_URL, RMA_SCREENSHOTS (see conftest.py); RMA_ADMIN_PASSWORD (default "admin").
"""

import io
import json
import shutil
import subprocess
import uuid

import pytest
from playwright.sync_api import expect
from portal import (
	ADMIN,
	BASE_URL,
	SCREENSHOTS,
	add_company,
	desk_csrf_token,
	logged_in_page,
	pdf_bytes,
	screenshot,
)

PASSWORD = "Company#2026x"
COMPANY = "Demo Dealer"


@pytest.fixture
def staff(browser):
	"""Administrator: a desk page and REST calls with the session's CSRF token."""
	context, page = logged_in_page(browser, ADMIN, timeout_ms=30_000)
	token = desk_csrf_token(page, "/app/company-authorisation")

	class Staff:
		def rest(self, method, path, data=None):
			r = context.request.fetch(
				f"{BASE_URL}{path}",
				method=method,
				data=json.dumps(data) if data is not None else None,
				headers={"X-Frappe-CSRF-Token": token, "Content-Type": "application/json"},
			)
			assert r.ok, f"{method} {path}: {r.status} {r.text()[:400]}"
			return r.json().get("data")

	staff = Staff()
	staff.page = page
	yield staff
	context.close()


def portal_page(browser, email):
	user = {"email": email, "password": PASSWORD}
	return logged_in_page(browser, user, timeout_ms=30_000, accept_downloads=True)


def test_authorise_a_company_invite_a_colleague_with_rm_but_not_fi(browser, staff, tmp_path):
	tag = uuid.uuid4().hex[:8]
	owner = f"owner-{tag}@company.example"
	staff.rest(
		"POST",
		"/api/resource/User",
		{
			"email": owner,
			"first_name": "Olga",
			"last_name": f"Owner {tag}",
			"user_type": "Website User",
			"send_welcome_email": 0,
			"new_password": PASSWORD,
			"roles": [{"role": "Customer"}],
		},
	)

	# the owner adds the company with its registration document
	context, page = portal_page(browser, owner)
	card = add_company(page, COMPANY, "Dealerstraat 12", tag, "company-01-add-company")
	name = card.get_attribute("data-name")

	# the authorisation document, filled with the company's and the owner's data
	with page.expect_download() as download_info:
		card.get_by_role("link", name="Download the authorisation (PDF)").click()
	pdf_path = tmp_path / "authorisation.pdf"
	download_info.value.save_as(pdf_path)
	content = pdf_path.read_bytes()
	assert content.startswith(b"%PDF")
	from pypdf import PdfReader

	text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
	for expected in (COMPANY, "Dealerstraat 12", "Utrecht", f"Owner {tag}", owner, name):
		assert expected in text, expected
	SCREENSHOTS.mkdir(parents=True, exist_ok=True)
	if shutil.which("pdftoppm"):
		subprocess.run(
			[
				"pdftoppm",
				"-png",
				"-r",
				"70",
				"-singlefile",
				str(pdf_path),
				str(SCREENSHOTS / "company-02-authorisation-pdf"),
			],
			check=True,
		)

	# signed and uploaded: the request goes to staff
	upload = card.locator("form.rma-upload-signed")
	upload.locator("[name=file]").set_input_files(
		{"name": "authorisation-signed.pdf", "mimeType": "application/pdf", "buffer": content}
	)
	upload.locator("button[type=submit]").click()
	expect(page.locator(f".rma-authorisation[data-name='{name}'] .badge")).to_have_text("Submitted")
	screenshot(page, "company-03-submitted")

	# staff link it to the customer and accept it in the desk
	staff.rest("PUT", f"/api/resource/Company Authorisation/{name}", {"customer": COMPANY})
	desk = staff.page
	desk.goto(f"{BASE_URL}/app/company-authorisation/{name}")
	head = desk.locator(".page-head:visible")
	decide = head.locator(".inner-group-button[data-label='Decide']")
	expect(decide).to_be_visible()
	decide.locator("button").click()
	decide.locator(".dropdown-menu .dropdown-item").filter(has_text="Accept").click()
	dialog = desk.locator(".modal:visible")
	expect(dialog).to_contain_text("administrator")
	screenshot(desk, "company-04-desk-accept")
	dialog.get_by_role("button", name="Yes").click()
	expect(head.locator(".indicator-pill")).to_contain_text("Accepted", timeout=30_000)

	# the administrator invites a colleague with RM but not FI
	page.goto(f"{BASE_URL}/company")
	expect(page.locator(".rma-company")).to_contain_text("Company administrator")
	page.goto(f"{BASE_URL}/company/users")
	colleague = f"clerk-{tag}@company.example"
	invite = page.locator("form.rma-invite")
	invite.locator("[name=email]").fill(colleague)
	invite.locator("[name=first_name]").fill("Carl")
	invite.locator("[name=last_name]").fill(f"Clerk {tag}")
	expect(invite.locator("input[name=rights][value=RM]")).to_be_checked()
	expect(invite.locator("input[name=rights][value=FI]")).not_to_be_checked()
	invite.locator("button[type=submit]").click()
	# invited, not imposed: the colleague is a member once they accept (issue 19)
	row = page.locator(f".rma-pending-invitation[data-email='{colleague}']")
	expect(row).to_be_visible()
	expect(row).to_contain_text("RM")
	expect(row).not_to_contain_text("FI")
	screenshot(page, "company-05-users")

	# the administrator adds a delivery address and activates the company with electronic invoices
	page.goto(f"{BASE_URL}/company/addresses")
	street = f"Magazijnweg {tag}"
	add = page.locator("form.rma-add-address")
	add.locator("[name=address_line1]").fill(street)
	add.locator("[name=city]").fill("Utrecht")
	add.locator("[name=country]").select_option("Netherlands")
	add.locator("[name=is_shipping_address]").check()
	add.locator("button[type=submit]").click()
	expect(page.locator(".rma-address").filter(has_text=street)).to_be_visible()
	screenshot(page, "company-05b-addresses")
	page.goto(f"{BASE_URL}/company")
	activate = page.locator("form.rma-activate")
	activate.locator("[name=data_confirmed]").check()
	activate.locator("[name=terms_accepted]").check()
	activate.locator("[name=e_invoices]").check()
	activate.locator("button[type=submit]").click()
	expect(page.locator(".rma-activation")).to_contain_text("Electronic invoices since")
	screenshot(page, "company-05c-activated")
	context.close()

	# the colleague set their password from the welcome e-mail's link: here staff set it
	staff.rest("PUT", f"/api/resource/User/{colleague}", {"new_password": PASSWORD})
	context, page = portal_page(browser, colleague)
	page.goto(f"{BASE_URL}/company")
	invitation = page.locator(".rma-invitation").filter(has_text=COMPANY)
	expect(invitation).to_be_visible()
	screenshot(page, "company-05d-invitation")
	invitation.get_by_role("button", name="Accept").click()
	expect(page.locator(".rma-invitation").filter(has_text=COMPANY)).to_have_count(0, timeout=20_000)
	page.goto(f"{BASE_URL}/rma/new")  # the RMA module is open to them: RM
	page.wait_for_function("() => window.frappe && frappe.csrf_token")
	reason = page.locator("#rma-reason-all option").nth(1).get_attribute("value")
	filed = page.evaluate(
		"""async (reason) => {
			const headers = { Accept: "application/json", "X-Frappe-CSRF-Token": frappe.csrf_token };
			const api = "/api/method/rma_portal.api.returns.";
			let line = null;
			for (let page = 1; page <= 20 && !line; page++) {
				const answer = await (await fetch(api + "get_candidates?page=" + page, { headers })).json();
				if (!answer.message || !answer.message.rows.length) break;
				line = answer.message.rows.find((row) => row.qty_returnable >= 1);
			}
			if (!line) return { status: 0, data: "no returnable line" };
			const body = new URLSearchParams({
				lines: JSON.stringify([{ delivery_note_item: line.delivery_note_item, qty: 1 }]),
				return_reason: reason,
				terms_accepted: "1",
			});
			const response = await fetch(api + "submit_return", { method: "POST", headers, body });
			return { status: response.status, data: await response.json() };
		}""",
		reason,
	)
	assert filed["status"] == 200, filed
	rma = filed["data"]["message"]["name"]
	page.goto(f"{BASE_URL}/rma")
	expect(page.locator("body")).to_contain_text(rma)
	screenshot(page, "company-06-clerk-rma")
	refused = page.goto(f"{BASE_URL}/portal/invoices")
	assert refused.status == 403
	expect(page.locator("body")).to_contain_text("FI")
	screenshot(page, "company-07-clerk-no-invoices")
	context.close()
