"""An RMA's documents: the return form and the return label, merged into one private PDF on the RMA.

The form (A4) tells the customer what to send and where; the label (A6) carries the RMA number as a
Code 128 barcode for the goods-in desk. Both are Jinja templates under templates/rma/, put into one
HTML and turned into PDF by Frappe's wkhtmltopdf wrapper in one run (the label's page cut to A6).
Built in a background job after the RMA is committed (`enqueue_documents`), then the confirmation
e-mail goes out with the PDF attached.
"""

import base64
import html
import io
import mimetypes
import re
import time

import frappe
from frappe import _
from frappe.utils import (
	add_to_date,
	cint,
	flt,
	fmt_money,
	format_date,
	format_datetime,
	getdate,
	now_datetime,
)
from frappe.utils.pdf import get_pdf

from rma_portal.domain.transitions import RMA_ACCEPTED
from rma_portal.services.shared import jobs
from rma_portal.services.shared.files import save_private_file
from rma_portal.services.shared.settings import rma_settings

FORM_TEMPLATE = "rma_portal/templates/rma/return_form.html"
LABEL_TEMPLATE = "rma_portal/templates/rma/return_label.html"
DOCUMENTS_FIELD = "documents"

# Page margins are in the templates (a `.print-format { margin-...: }` rule, which Frappe's get_pdf
# reads: without it, it forces 15 mm top and bottom).
# wkhtmltopdf waits 200 ms per run for scripts by default; Frappe turns scripts off and the templates
# have none, so that wait is idle time.
PDF_OPTIONS = {"page-size": "A4", "image-quality": "100", "javascript-delay": "0"}
# Both are printed in one wkhtmltopdf run (one run costs about as much as the rest of the build):
# the label on a page of its own, its A6 box then cut out of that A4 page (page size and margins
# are per run in wkhtmltopdf, and this Qt build takes only one page object a run).
A4_MM = (210, 297)
A6_MM = (105, 148)

# Code 128 drawn at 600 dpi, 8 px (0.34 mm) per module, 1-bit, quiet zones inside the image. The
# templates scale it to the width available (about 88 mm on the label: 0.37 mm per module).
BARCODE_DPI = 600
BARCODE_MODULE_PX = 8
BARCODE_QUIET_ZONE_MODULES = 12  # the symbology asks for at least 10
BARCODE_HEIGHT_MM = 22

# Documents that failed to build are tried again by the scheduler (hooks.py), a few times.
RETRY_AFTER_MINUTES = 5
MAX_ATTEMPTS = 5


# Returns sent in a row share one documents job (a "drainer"): RQ runs each job in a process forked
# for it, which imports the job's modules and builds Jinja and the PDF and e-mail styles first, about
# 450 of a job's 530 ms of CPU (benchmarks/RESULTS.md, "A return's documents job, cold"). The names
# wait in a list in the queue's Redis (which evicts nothing, unlike the cache's); a flag says that a
# drainer is queued or running, so a return sent meanwhile is only added to the list.
PENDING_KEY = "rma_portal:documents:pending"
DRAINER_KEY = "rma_portal:documents:drainer"
DRAINER_JOB = "rma_portal.services.returns.documents.drain_documents"
DRAINER_QUEUE = "short"
# A drainer waits this long for the next return before it ends, and ends after MAX_DRAINER_SECONDS
# (handing what is left to the next one) or as soon as another job waits on its queue.
LINGER_SECONDS = 2.0
MAX_DRAINER_SECONDS = 30.0
# A drainer's worker that died leaves the flag: it expires, and the next return (or the scheduler's
# retry_missing_documents) queues a new drainer for the names still listed.
DRAINER_FLAG_SECONDS = 120


def enqueue_documents(name: str) -> None:
	"""Build the documents and send the confirmation in a background job, once the RMA is committed.

	Tests run it at once (no worker needed)."""
	if frappe.flags.in_test:
		make_documents_and_confirm(name)
		return
	frappe.db.after_commit.add(lambda: hand_to_drainer([name]))


def hand_to_drainer(names: list[str], enqueue=None) -> bool:
	"""List `names` for the documents drainer and queue one unless one is queued or running; whether
	one was queued. `enqueue` queues the job (a test passes its own)."""
	redis = _queue_redis()
	redis.rpush(_key(PENDING_KEY), *names)
	return _queue_drainer_unless_running(redis, enqueue)


def _queue_drainer_unless_running(redis, enqueue=None) -> bool:
	if not redis.set(_key(DRAINER_KEY), 1, nx=True, ex=DRAINER_FLAG_SECONDS):
		return False
	(enqueue or _enqueue_drainer)()
	return True


def _enqueue_drainer() -> None:
	frappe.enqueue(DRAINER_JOB, queue=DRAINER_QUEUE, timeout=int(MAX_DRAINER_SECONDS) + 600)


def drain_documents(others_waiting=None, linger: float = LINGER_SECONDS, enqueue=None) -> list[str]:
	"""Background job: the documents and confirmation of each listed return, committed one by one
	(a failure is logged and keeps the others), until none has come for `linger` seconds, another
	job waits for the worker (`others_waiting`) or MAX_DRAINER_SECONDS have passed; what is left
	then goes to the next drainer (queued with `enqueue`). The names done, in order. A test gives
	its own `others_waiting` and `enqueue`: this machine's other workers would take real jobs."""
	redis, done = _queue_redis(), []
	others_waiting = others_waiting or _others_waiting
	started = idle_since = time.monotonic()
	while time.monotonic() - started < MAX_DRAINER_SECONDS:
		redis.expire(_key(DRAINER_KEY), DRAINER_FLAG_SECONDS)  # still running
		name = redis.lpop(_key(PENDING_KEY))
		if name is None:
			if time.monotonic() - idle_since >= linger or others_waiting():
				break
			time.sleep(0.2)
			continue
		name = frappe.safe_decode(name)
		_documents_of_one(name)
		done.append(name)
		if others_waiting():
			break
		idle_since = time.monotonic()
	redis.delete(_key(DRAINER_KEY))
	if redis.llen(_key(PENDING_KEY)):  # sent while it ended, or left when it made way: the next one
		_queue_drainer_unless_running(redis, enqueue)
	return done


def _documents_of_one(name: str) -> None:
	"""One return's documents and confirmation, made as the user who sent it, as its own job was: the
	drainer was queued by whichever user came first, and a private file is readable by its owner."""
	drainer_user = frappe.session.user
	try:
		frappe.set_user(frappe.db.get_value("RMA", name, "owner") or "Administrator")
		make_documents_and_confirm(name)
		frappe.db.commit()
	except Exception:
		frappe.db.rollback()
		frappe.log_error(title=_("RMA {0}: documents and confirmation failed").format(name))
	finally:
		frappe.set_user(drainer_user)


def _others_waiting() -> bool:
	"""Whether a job waits on a queue the default worker serves (short, default, long)."""
	from frappe.utils.background_jobs import get_queue

	return any(get_queue(queue).count for queue in ("short", "default", "long"))


def _queue_redis():
	"""The background jobs' Redis (RQ's connection): it keeps what it is given."""
	from frappe.utils.background_jobs import get_redis_conn

	return get_redis_conn()


def _key(name: str) -> str:
	return frappe.cache.make_key(name)  # the site's own


def make_documents_and_confirm(name: str) -> None:
	"""Background job: documents first, then the confirmation e-mail (with the PDF when it was built).

	A PDF failure is logged and does not hold back the confirmation: the portal's download builds
	the documents on the fly while none are stored."""
	from rma_portal.services.shared import notify

	status = frappe.db.get_value("RMA", name, "status")
	if status != "Rejected" and not documents_held(status):  # Rejected at sending: declined by a rule
		try_make_documents(name)
	notify.send_confirmation(name)


def documents_held(status: str | None) -> bool:
	"""Whether an RMA in `status` waits for its return form and label: while awaiting approval, when
	RMA Settings holds them until then (services/policy/approval.py)."""
	from rma_portal.services.policy import approval

	return status == approval.REQUESTED and approval.documents_on_approval()


def try_make_documents(name: str) -> bool:
	"""Build the documents, or leave the RMA as it was: the failure goes to the Error Log and, for
	staff, on the RMA's timeline; the scheduler tries again (retry_missing_documents)."""
	frappe.db.savepoint("rma_documents")
	try:
		make_documents(name)
	except Exception:
		error = frappe.get_traceback(with_context=True)
		_roll_back_to("rma_documents")
		attempts = _count_attempt(name)
		frappe.log_error(title=_("RMA {0}: return documents could not be built").format(name), message=error)
		if attempts >= MAX_ATTEMPTS:
			note = _("Return documents could not be built after {0} attempts; see the Error Log.")
		else:
			note = _("Return documents could not be built (attempt {0}); they are tried again automatically.")
		frappe.get_doc("RMA", name).add_comment("Info", note.format(attempts))
		return False
	frappe.cache.delete_value(_attempts_key(name))
	return True


def _roll_back_to(savepoint: str) -> None:
	"""Undo what the failed attempt wrote. A deadlock makes the database roll back the whole
	transaction, savepoint included (seen under load: "SAVEPOINT rma_documents does not exist",
	and the job died before the confirmation): then nothing of the attempt is left to undo, and the
	transaction is ended as the database already ended it."""
	try:
		frappe.db.rollback(save_point=savepoint)
	except Exception:
		frappe.db.rollback()


def retry_missing_documents() -> list[str]:
	"""Scheduler job: build the documents of open RMAs that have none a few minutes after they were
	sent (the job failed, or its worker died), each up to MAX_ATTEMPTS times. One commit per RMA."""
	redis = _queue_redis()
	if redis.llen(_key(PENDING_KEY)):  # a drainer's worker died: its flag has expired by now
		_queue_drainer_unless_running(redis)
	waiting = frappe.get_all(
		"RMA",
		filters={
			"status": ("in", RMA_ACCEPTED),
			DOCUMENTS_FIELD: ("is", "not set"),
			"submitted_on": ("<", add_to_date(now_datetime(), minutes=-RETRY_AFTER_MINUTES)),
		},
		pluck="name",
		limit=50,
	)
	built = []
	for name in waiting:
		if cint(frappe.cache.get_value(_attempts_key(name), expires=True)) >= MAX_ATTEMPTS:
			continue
		if try_make_documents(name):
			built.append(name)
		frappe.db.commit()  # each RMA on its own: one failure keeps the others
	return built


def _attempts_key(name: str) -> str:
	return f"rma_portal:documents_attempts:{name}"


def _count_attempt(name: str) -> int:
	attempts = cint(frappe.cache.get_value(_attempts_key(name), expires=True)) + 1
	frappe.cache.set_value(_attempts_key(name), attempts, expires_in_sec=7 * 24 * 3600)
	return attempts


def make_documents(name: str) -> str:
	"""Build the return form + label PDF of RMA `name`, attach it privately (replacing an older one),
	set `RMA.documents` to it and return its file_url. The RMA's status is not touched."""
	doc = frappe.get_doc("RMA", name)
	file_url = replace_documents_file(doc, build_documents_pdf(doc))
	doc.db_set(DOCUMENTS_FIELD, file_url)
	return file_url


def get_documents_content(name: str) -> tuple[str, bytes]:
	"""(download file name, PDF bytes) of RMA `name`'s documents: the stored file, or, while the
	background job has not stored it (or failed), a copy built in memory. Writes nothing, so it
	suits a GET request. The caller checks that the user may read this RMA."""
	file_doc = _documents_file(name)
	if file_doc:
		content = file_doc.get_content()
		if isinstance(content, str):
			content = content.encode()
	else:
		content = build_documents_pdf(frappe.get_doc("RMA", name))
	return documents_file_name(name), content


def documents_file_name(name: str) -> str:
	"""`RMA/00001/SR/2026` -> `RMA-00001-SR-2026.pdf`."""
	return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") + ".pdf"


# Building blocks
# ---------------


def build_documents_pdf(doc) -> bytes:
	"""The return form (A4) followed by the return label (A6) of RMA `doc`, as PDF bytes, in the
	customer's print language (Customer.language) when one is set."""
	from frappe.translate import print_language
	from pypdf import PdfWriter

	barcode = barcode_png(doc.name)
	writer = PdfWriter()
	with print_language(frappe.db.get_value("Customer", doc.customer, "language")):
		context = documents_context(doc, barcode)
		form = frappe.render_template(FORM_TEMPLATE, context)
		label = frappe.render_template(LABEL_TEMPLATE, context)
		html, label_box = one_document(form, label)
		get_pdf(html, options=dict(PDF_OPTIONS), output=writer)
	_cut_out(writer.pages[-1], label_box)
	return finish_pdf(writer, barcode=barcode)


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_BODY = re.compile(r"<body>(.*)</body>", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def one_document(form: str, label: str) -> tuple[str, tuple[float, float]]:
	"""One HTML of the rendered form and label templates: the form's page margins, each template's
	rules scoped to its own part, the label on a new page at its A6 width (a share of the form's
	A4 text width: CSS millimetres are not paper millimetres in wkhtmltopdf). Returns the HTML and
	where the label's A6 box starts on its page, (left, top) in mm.

	Only the page margins are in a <style> block; the rules come as a data: stylesheet. Frappe's
	get_pdf runs every <style> through cssutils (to find the `.print-format` margins), which
	validates each declaration, compiling the patterns of each property first: 0.15-0.2 s of CPU
	in every process RQ forks for a documents job."""
	form_css, label_css = _STYLE.search(form).group(1), _STYLE.search(label).group(1)
	form_margin, label_margin = _page_margins(form_css), _page_margins(label_css)
	text_width = A4_MM[0] - form_margin["left"] - form_margin["right"]
	label_width = A6_MM[0] - label_margin["left"] - label_margin["right"]
	label_share = 100 * label_width / text_width
	css = "body { margin: 0; }\n" + _scoped(form_css, ".rma-form") + _scoped(label_css, ".rma-label")
	html = (
		'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<style>\n'
		+ ".print-format {{ margin-top: {top}mm; margin-bottom: {bottom}mm; margin-left: {left}mm; "
		"margin-right: {right}mm; }}\n</style>\n".format(**form_margin)
		+ '<link rel="stylesheet" href="data:text/css;base64,'
		+ base64.b64encode(css.encode()).decode()
		+ '">\n</head>\n<body>\n<div class="rma-form">'
		+ _BODY.search(form).group(1)
		+ f'</div>\n<div class="rma-label" style="page-break-before: always; width: {label_share:.3f}%;">'
		+ _BODY.search(label).group(1)
		+ "</div>\n</body>\n</html>\n"
	)
	return html, (form_margin["left"] - label_margin["left"], form_margin["top"] - label_margin["top"])


def _page_margins(css: str) -> dict:
	"""{top, bottom, left, right} in mm from a template's `.print-format` rule."""
	rule = re.search(r"\.print-format\s*\{([^}]*)\}", css).group(1)
	return {
		side: float(re.search(rf"margin-{side}:\s*([\d.]+)mm", rule).group(1))
		for side in ("top", "bottom", "left", "right")
	}


def _scoped(css: str, scope: str) -> str:
	"""`css`'s rules applied inside `scope` only (`body` becomes the scope); the page rule is dropped."""
	rules = []
	for selectors, declarations in _RULE.findall(css):
		names = [name.strip() for name in selectors.split(",")]
		if ".print-format" in names:
			continue
		scoped = ", ".join(scope if name == "body" else f"{scope} {name}" for name in names)
		rules.append(f"{scoped} {{{declarations}}}\n")
	return "".join(rules)


def _cut_out(page, left_top_mm: tuple[float, float]) -> None:
	"""Make `page` the A6 box whose top-left corner is at `left_top_mm` (from the page's top left)."""
	from pypdf.generic import RectangleObject

	mm = 72 / 25.4
	left, top = left_top_mm[0] * mm, float(page.mediabox.top) - left_top_mm[1] * mm
	box = RectangleObject([left, top - A6_MM[1] * mm, left + A6_MM[0] * mm, top])
	page.mediabox = box
	page.cropbox = box


def documents_context(doc, barcode: bytes | None = None) -> dict:
	settings = rma_settings(doc.company)
	company = frappe.get_cached_doc("Company", doc.company)
	submitted = doc.submitted_on or doc.creation
	fee_currency = doc.fee_currency or doc.currency
	lines = [
		{
			"idx": row.idx,
			"item_code": row.item_code,
			"item_name": row.item_name or row.item_code,
			"customer_item_code": row.customer_item_code or "",
			"qty": flt(row.qty_requested),
			"qty_display": _qty(row.qty_requested),
			"uom": row.uom or "",
			"reason": row.return_reason or "",
			"fee": fmt_money(row.fee_amount, currency=fee_currency) if flt(row.get("fee_amount")) else "",
			"references": [
				f"{label} {value}"
				for label, value in (
					(_("Order"), row.sales_order),
					(_("PO"), row.customer_po),
					(_("Delivery"), row.delivery_note),
					(_("Serial Nos"), ", ".join((row.get("serial_nos") or "").split())),
					(_("Batch No"), row.get("batch_no")),
				)
				if value
			],
		}
		for row in doc.items
	]
	total_qty = sum(line["qty"] for line in lines)
	return {
		"doc": doc,
		"company": company.name,
		"company_logo": _image_data_uri(company.company_logo),
		"company_address": _company_address_lines(doc.company),
		"company_contact": [v for v in (company.phone_no, company.email, company.website) if v],
		"company_tax_id": company.tax_id or "",
		"customer": doc.customer,
		"customer_name": doc.customer_name or doc.customer,
		"rma_date": format_date(getdate(submitted)),
		"lines": lines,
		"total_qty": _qty(total_qty),
		"fee": fmt_money(doc.fee_amount, currency=fee_currency) if flt(doc.fee_amount) else "",
		"line_fees": any(line["fee"] for line in lines),
		"return_address": _lines(doc.return_address or settings.return_address),
		"barcode": "data:image/png;base64," + base64.b64encode(barcode or barcode_png(doc.name)).decode(),
		"generated_on": format_datetime(now_datetime()),
	}


def barcode_png(value: str) -> bytes:
	"""Code 128 of `value` as a 1-bit PNG with quiet zones, without human-readable text (the
	templates print the number larger)."""
	import barcode
	from barcode.writer import ImageWriter

	module_mm = BARCODE_MODULE_PX * 25.4 / BARCODE_DPI
	out = io.BytesIO()
	barcode.get("code128", value, writer=ImageWriter(mode="1")).write(
		out,
		{
			"module_width": module_mm,
			"module_height": BARCODE_HEIGHT_MM,
			"quiet_zone": BARCODE_QUIET_ZONE_MODULES * module_mm,
			"dpi": BARCODE_DPI,
			"write_text": False,
			"margin_top": 0,
			"margin_bottom": 0,
		},
	)
	return out.getvalue()


def finish_pdf(writer, barcode: bytes | None = None) -> bytes:
	"""The PDF bytes of `writer`. wkhtmltopdf stores every image as JPEG: the `barcode` PNG's copies
	are put back as the lossless 1-bit image (crisp bars, smaller file)."""
	if barcode:
		try:
			_restore_barcode(writer, barcode)
		except Exception:
			frappe.log_error(title=_("RMA documents: barcode kept as JPEG"))
	out = io.BytesIO()
	writer.write(out)
	return out.getvalue()


def _restore_barcode(writer, barcode: bytes) -> None:
	"""Rewrite, in place, the page images of the barcode's size as a 1-bit Flate image of `barcode`.

	Looks only at the pages' image resources: pypdf's page.images would parse every content stream
	and decode every image (half a second for two pages)."""
	from PIL import Image
	from pypdf.generic import DecodedStreamObject, NameObject, NumberObject

	bars = Image.open(io.BytesIO(barcode)).convert("1")
	bits = bars.tobytes()  # rows packed 8 pixels a byte, 1 = white: DeviceGray at 1 bit as PDF reads it
	for page in writer.pages:
		images = (page.get("/Resources") or {}).get("/XObject")
		for ref in (images.get_object() if images else {}).values():
			image = ref.get_object()
			if image.get("/Subtype") != "/Image" or (image.get("/Width"), image.get("/Height")) != bars.size:
				continue
			if image.get("/Filter") == "/FlateDecode" and image.get("/BitsPerComponent") == 1:
				continue  # done: the pages of the same part share one image
			for key in ("/DecodeParms", "/Decode", "/SMask", "/Mask", "/Interpolate"):
				image.pop(key, None)
			image[NameObject("/ColorSpace")] = NameObject("/DeviceGray")
			image[NameObject("/BitsPerComponent")] = NumberObject(1)
			image[NameObject("/Filter")] = NameObject("/FlateDecode")
			image.decoded_self = DecodedStreamObject()  # the JPEG bytes are not decoded on the way
			image.set_data(bits)


def replace_documents_file(doc, content: bytes) -> str:
	"""Save `content` as the RMA's private documents File, deleting the File(s) it replaces."""
	old_files = frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": "RMA",
			"attached_to_name": doc.name,
			"attached_to_field": DOCUMENTS_FIELD,
		},
		pluck="name",
	)
	if doc.get(DOCUMENTS_FIELD):
		old_files += frappe.get_all(
			"File",
			filters={
				"attached_to_doctype": "RMA",
				"attached_to_name": doc.name,
				"file_url": doc.get(DOCUMENTS_FIELD),
			},
			pluck="name",
		)
	for file_name in set(old_files):
		frappe.delete_doc("File", file_name, ignore_permissions=True, force=True)

	return save_private_file(
		"RMA", doc.name, documents_file_name(doc.name), content, DOCUMENTS_FIELD
	).file_url


def _documents_file(name: str):
	file_url = frappe.db.get_value("RMA", name, DOCUMENTS_FIELD)
	if not file_url:
		return None
	file_name = frappe.db.get_value(
		"File", {"file_url": file_url, "attached_to_doctype": "RMA", "attached_to_name": name}, "name"
	)
	return frappe.get_doc("File", file_name) if file_name else None


def _image_data_uri(file_url: str | None) -> str:
	"""An attached image (e.g. the company logo) inlined, so wkhtmltopdf needs no HTTP request."""
	if not file_url:
		return ""
	try:
		file_doc = frappe.get_doc("File", {"file_url": file_url})
		content = file_doc.get_content()
	except Exception:
		return ""
	if isinstance(content, str):
		content = content.encode()
	mime = mimetypes.guess_type(file_doc.file_name or file_url)[0] or "image/png"
	return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def _company_address_lines(company: str) -> list[str]:
	from frappe.contacts.doctype.address.address import get_company_address

	display = get_company_address(company).company_address_display or ""
	text = re.sub(r"<br\s*/?>", "\n", display)
	return _lines(html.unescape(re.sub(r"<[^>]+>", "", text)))


def _qty(qty) -> str:
	qty = flt(qty)
	if qty.is_integer():
		return str(int(qty))
	return frappe.format_value(qty, {"fieldtype": "Float"})


def _lines(text: str | None) -> list[str]:
	return [line.strip() for line in (text or "").splitlines() if line.strip()]
