"""Warranty claims end to end: the demo dealer files a claim with a photo and a PDF; staff (Administrator,
in the desk form's Actions menu) take it up, mark the goods received and grant it with a decision note
and a credit document (their own file and the supplier's response go in through the REST API); the
dealer's portal shows the decision and every document, and the second dealer sees none of it.

Environment: RMA_BASE_URL, RMA_SCREENSHOTS (see conftest.py); RMA_ADMIN_PASSWORD (default "admin").
"""

import json
import re
import struct
import zlib
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect
from portal import ADMIN, BASE_URL, desk_csrf_token, logged_in_page, pdf_bytes, screenshot

API = f"{BASE_URL}/api/method/rma_portal.api.warranty."


def png_bytes(width=40, height=30, rgb=(200, 60, 40)) -> bytes:
	"""A small valid PNG (a solid colour), without image libraries."""

	def chunk(kind, data):
		return (
			struct.pack(">I", len(data))
			+ kind
			+ data
			+ struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
		)

	raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
	return (
		b"\x89PNG\r\n\x1a\n"
		+ chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
		+ chunk(b"IDAT", zlib.compress(raw))
		+ chunk(b"IEND", b"")
	)


PDF = pdf_bytes("proof of purchase")
REPORT = pdf_bytes("inspection report")
RESPONSE = pdf_bytes("supplier response")


@pytest.fixture
def admin(browser):
	"""Administrator: a desk page (`admin.page`) and an API client sharing its session (with the
	session's CSRF token for POSTs)."""
	context, page = logged_in_page(browser, ADMIN)
	token = desk_csrf_token(page, "/app/customer-warranty-claim")

	class Admin:
		def post(self, method, data):
			r = context.request.post(API + method, form=data, headers={"X-Frappe-CSRF-Token": token})
			assert r.ok, f"{method}: {r.status} {r.text()[:500]}"
			return r.json()["message"]

		def get(self, path, params=None):
			r = context.request.get(f"{BASE_URL}{path}", params=params)
			assert r.ok, f"{path}: {r.status} {r.text()[:300]}"
			return r.json()

		def put(self, path, data):
			r = context.request.put(
				f"{BASE_URL}{path}",
				data=json.dumps(data),
				headers={"X-Frappe-CSRF-Token": token, "Content-Type": "application/json"},
			)
			assert r.ok, f"{path}: {r.status} {r.text()[:500]}"
			return r.json()["data"]

		def upload(self, name, filename, content, mime):
			r = context.request.post(
				f"{BASE_URL}/api/method/upload_file",
				multipart={
					"file": {"name": filename, "mimeType": mime, "buffer": content},
					"is_private": "1",
					"doctype": "Customer Warranty Claim",
					"docname": name,
				},
				headers={"X-Frappe-CSRF-Token": token},
			)
			assert r.ok, f"upload: {r.status} {r.text()[:300]}"
			return r.json()["message"]["file_url"]

	admin = Admin()
	admin.page = page
	yield admin
	context.close()


class DeskClaim:
	"""The desk form of one Customer Warranty Claim, driven like staff do: the Actions menu that
	customer_warranty_claim.js adds, and its Grant dialog."""

	def __init__(self, page, name):
		self.page = page
		self.name = name
		# the desk keeps pages it showed before in the DOM, hidden: only the visible one is this form
		self.head = page.locator(".page-head:visible")
		self.indicator = self.head.locator(".indicator-pill")
		self.actions = self.head.locator(".inner-group-button[data-label='Actions']")
		self.body = page.locator(".layout-main-section:visible")

	def open(self):
		"""Load the form afresh (e.g. after changes through the API) and wait until it is rendered."""
		self.page.goto(f"{BASE_URL}/app/customer-warranty-claim/{self.name}")
		self.wait_idle()

	def wait_idle(self):
		"""This claim's form is loaded and clean, and no call holds the screen frozen."""
		self.page.wait_for_function(
			"""name => window.cur_frm && cur_frm.doctype === "Customer Warranty Claim"
				&& cur_frm.docname === name && cur_frm.doc && !cur_frm.is_new() && !cur_frm.is_dirty()
				&& !frappe.dom.freeze_count""",
			arg=self.name,
		)
		expect(self.actions).to_be_visible()

	def item(self, label):
		"""An entry of the Actions menu (in the DOM whether or not the menu is open)."""
		return self.actions.locator(".dropdown-menu .dropdown-item").filter(
			has_text=re.compile(f"^\\s*{re.escape(label)}\\s*$")
		)

	def expect_menu(self, present=(), absent=()):
		for label in present:
			expect(self.item(label)).to_have_count(1)
		for label in absent:
			expect(self.item(label)).to_have_count(0)

	def click_action(self, label):
		"""Open the Actions menu and click `label` (once more if a late re-render closed the menu)."""
		for attempt in range(2):
			self.actions.locator("button[data-toggle='dropdown']").click()
			try:
				expect(self.item(label)).to_be_visible(timeout=3_000)
				break
			except AssertionError:
				if attempt:
					raise
		self.item(label).click()

	@contextmanager
	def server_call(self, method):
		"""Wrap what triggers rma_portal.api.warranty.<method>: waits for its answer (which must be
		a success) and for the form's reload that follows it, then for the form to settle."""
		with (
			self.page.expect_response(
				lambda r: f"/api/method/rma_portal.api.warranty.{method}" in r.url
			) as called,
			self.page.expect_response(
				lambda r: "/api/method/frappe.desk.form.load.getdoc" in r.url
			) as reloaded,
		):
			yield
		assert called.value.ok, f"{method}: {called.value.status} {called.value.text()[:500]}"
		assert reloaded.value.ok
		self.wait_idle()

	def action(self, label, method):
		with self.server_call(method):
			self.click_action(label)

	def expect_status(self, status):
		expect(self.indicator).to_have_text(status)
		expect(self.body.locator(".frappe-control[data-fieldname='status']")).to_contain_text(status)

	def doc(self, field):
		return self.page.evaluate("f => cur_frm.doc[f]", field)


def test_claim_filed_processed_and_granted(dealer_page, dealer_phone_page, second_page, admin):
	page = dealer_page
	photo = png_bytes()

	# -- the dealer files a claim ------------------------------------------------------------------
	page.goto(f"{BASE_URL}/warranty/new")
	expect(page.locator("#wc-item")).to_be_visible()
	screenshot(page, "warranty_01_new_form")

	page.click(".wc-submit")  # nothing filled in: every problem listed at once
	expect(page.locator(".wc-errors")).to_be_visible()
	errors = page.locator(".wc-error-list li")
	expect(errors).to_have_count(2)
	expect(errors.nth(0)).to_contain_text("Item")
	expect(errors.nth(1)).to_contain_text("Problem description")
	screenshot(page, "warranty_02_new_errors")

	page.select_option("#wc-item", index=1)
	item_code = page.eval_on_selector("#wc-item", "el => el.value")
	expect(page.locator("#wc-invoice")).to_be_enabled()
	invoice = page.eval_on_selector("#wc-invoice", "el => el.value")
	assert invoice, "the newest invoice of the item is preselected"
	assert page.eval_on_selector("#wc-purchase-date", "el => el.value"), (
		"purchase date comes from the invoice"
	)
	page.fill("#wc-description", "The motor stops after two minutes and smells burnt.\nHappened twice.")
	page.set_input_files(
		"#wc-files",
		[
			{"name": "damage-photo.png", "mimeType": "image/png", "buffer": photo},
			{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not allowed"},
		],
	)
	expect(page.locator(".wc-file")).to_have_count(2)
	expect(page.locator(".wc-file").nth(1)).to_contain_text("only JPG, PNG and PDF")
	page.locator(".wc-file").nth(1).locator(".wc-file-remove").click()
	page.set_input_files(
		"#wc-files", [{"name": "proof-of-purchase.pdf", "mimeType": "application/pdf", "buffer": PDF}]
	)
	expect(page.locator(".wc-file")).to_have_count(2)
	screenshot(page, "warranty_03_new_filled")

	page.click(".wc-submit")
	page.wait_for_url(re.compile(r".*/warranty/view\?name=WC-"))
	name = page.locator(".wc-name").inner_text().strip()
	assert re.fullmatch(r"WC-\d{4}-\d{5}", name), name
	expect(page.locator(".wc-view")).to_have_attribute("data-status", "Received")
	expect(page.locator(".wc-attachments-customer .wc-doc")).to_have_count(2)
	screenshot(page, "warranty_04_view_received")

	# -- staff take it up and grant it, in the desk --------------------------------------------------
	desk = DeskClaim(admin.page, name)
	desk.open()
	desk.expect_status("Received")
	expect(desk.body.locator(".form-message")).to_contain_text("Start processing")
	desk.expect_menu(present=["Start processing", "Goods received"], absent=["Grant", "Refuse"])
	desk.action("Start processing", "start_processing")
	desk.expect_status("In processing")
	desk.expect_menu(present=["Grant", "Refuse", "Goods received"], absent=["Start processing"])
	page.reload()
	expect(page.locator(".wc-view")).to_have_attribute("data-status", "In processing")

	# their own file and the supplier's response go in through the API (the desk's uploader is
	# Frappe's, not this app's)
	staff_file = admin.upload(name, "inspection-report.pdf", REPORT, "application/pdf")
	response_file = admin.upload(name, "supplier-response.pdf", RESPONSE, "application/pdf")
	claim = admin.get(f"/api/resource/Customer Warranty Claim/{name}")["data"]
	keep = ("name", "file", "side", "description", "added_by", "added_on")  # the dealer's rows stay theirs
	rows = [{k: r.get(k) for k in keep} for r in claim["attachments"]]
	rows.append({"file": staff_file, "side": "Staff", "description": "Inspection report"})
	admin.put(
		f"/api/resource/Customer Warranty Claim/{name}",
		{
			"attachments": rows,
			"supplier_response": response_file,
			"remark": "Motor replaced, sent back with the next delivery.",
		},
	)

	desk.open()  # afresh, with the files and the remark just added
	desk.expect_status("In processing")
	# a read-only Check shows a disabled checkbox, "ticked" by its class
	goods = desk.body.locator(".frappe-control[data-fieldname='goods_received'] .disp-area input")
	expect(goods).to_have_class(re.compile(r"\bdisabled-deselected\b"))
	desk.action("Goods received", "set_goods_received")
	expect(goods).to_have_class(re.compile(r"\bdisabled-selected\b"))
	desk.expect_menu(present=["Goods not received", "Grant"], absent=["Goods received"])
	desk.expect_status("In processing")

	credit = admin.get(
		"/api/resource/Sales Invoice",
		{
			"filters": json.dumps([["customer", "=", "Demo Dealer"], ["docstatus", "=", 1]]),
			"order_by": "is_return desc, posting_date desc",
			"limit_page_length": "1",
		},
	)["data"][0]["name"]
	screenshot(desk.page, "warranty_05_desk_before_grant")

	desk.click_action("Grant")
	dialog = desk.page.locator(".modal", has=desk.page.locator(".modal-title", has_text=f"Grant {name}"))
	expect(dialog).to_be_visible()
	dialog.locator(".frappe-control[data-fieldname='note'] textarea").fill(
		"Granted: manufacturing defect confirmed."
	)
	link = dialog.locator(".frappe-control[data-fieldname='credit_document'] input")
	link.click()
	link.fill(credit)  # the field's search offers the customer's submitted invoices
	dialog.locator(
		".frappe-control[data-fieldname='credit_document'] [role='option']", has_text=credit
	).first.click()
	expect(link).to_have_value(credit)
	screenshot(desk.page, "warranty_06_desk_grant_dialog", full_page=False)
	with desk.server_call("grant"):
		dialog.locator(".modal-footer .btn-primary", has_text="Grant").click()
	expect(dialog).to_be_hidden()
	desk.expect_status("Granted")
	desk.expect_menu(present=["Goods not received"], absent=["Grant", "Refuse", "Start processing"])
	expect(desk.body.locator(".frappe-control[data-fieldname='decision_note']")).to_contain_text(
		"manufacturing defect confirmed"
	)
	expect(desk.body.locator(".frappe-control[data-fieldname='credit_document']")).to_contain_text(credit)
	expect(desk.head.locator("button[data-label='Credit%20Document']")).to_be_visible()
	assert desk.doc("decision_note") == "Granted: manufacturing defect confirmed."
	assert desk.doc("credit_document") == credit
	screenshot(desk.page, "warranty_07_desk_granted")

	# -- the dealer sees the decision and the documents --------------------------------------------
	page.reload()
	expect(page.locator(".wc-view")).to_have_attribute("data-status", "Granted")
	expect(page.locator(".wc-decision")).to_contain_text("granted")
	expect(page.locator(".wc-decision-note")).to_contain_text("manufacturing defect confirmed")
	expect(page.locator(".wc-goods")).to_contain_text("Yes")
	expect(page.locator(".wc-remark")).to_contain_text("Motor replaced")
	expect(page.locator(".wc-doc-response")).to_be_visible()
	expect(page.locator(".wc-doc-credit")).to_contain_text(credit)
	expect(page.locator(".wc-attachments-staff .wc-doc")).to_have_text(["Inspection report"])
	screenshot(page, "warranty_08_view_granted")

	for selector, expected in (
		(".wc-doc-claim", b"%PDF"),
		(".wc-doc-response", RESPONSE),
		(".wc-doc-credit", b"%PDF"),
		(".wc-attachments-staff .wc-doc", REPORT),
	):
		url = page.locator(selector).first.get_attribute("href")
		r = page.request.get(f"{BASE_URL}{url}")
		assert r.status == 200, (selector, r.status)
		assert r.body().startswith(expected), selector
	photo_url = page.locator(".wc-attachments-customer .wc-doc").first.get_attribute("href")
	assert page.request.get(f"{BASE_URL}{photo_url}").body() == photo

	page.goto(f"{BASE_URL}/warranty")
	row = page.locator(f".wc-table .wc-row[data-name='{name}']")
	expect(row).to_have_attribute("data-status", "Granted")
	expect(row).to_contain_text(item_code)
	expect(row.locator(".wc-goods input")).to_be_checked()
	expect(row.locator(".wc-handled")).not_to_have_text("—")
	expect(row.locator(".wc-doc")).to_have_count(6)  # claim, response, 2 + 1 attachments, credit
	screenshot(page, "warranty_09_list_desktop")

	phone = dealer_phone_page
	phone.goto(f"{BASE_URL}/warranty")
	expect(phone.locator(f".wc-card[data-name='{name}']")).to_be_visible()
	screenshot(phone, "warranty_10_list_phone")
	phone.goto(f"{BASE_URL}/warranty/view?name={name}")
	expect(phone.locator(".wc-decision")).to_be_visible()
	screenshot(phone, "warranty_11_view_phone")

	# -- the other dealer sees nothing of it --------------------------------------------------------
	other = second_page
	r = other.goto(f"{BASE_URL}/warranty/view?name={name}")
	assert r.status in (403, 404), r.status
	for url in (
		f"{API}download?name={name}&kind=claim",
		f"{API}download?name={name}&kind=credit",
		f"{API}get_claim?name={name}",
		f"{BASE_URL}{response_file}",
	):
		assert other.request.get(url).status in (403, 404), url
	other.goto(f"{BASE_URL}/warranty")
	expect(other.locator(f"[data-name='{name}']")).to_have_count(0)
