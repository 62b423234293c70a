"""/portal/tickets/new: open a support ticket with a description and attachments."""

from frappe import _

from rma_portal import access
from rma_portal.services.portal import tickets
from rma_portal.services.shared.files import ALLOWED_EXTENSIONS, MAX_FILE_BYTES
from rma_portal.www.portal import common_context, js_messages

no_cache = 1

JS_MESSAGES = (
	"Remove",
	"Remove {0}",
	"Choose files",
	"{0} file(s) chosen",
	"Sending...",
	"only JPG, PNG and PDF files are accepted",
	"larger than {0} MB",
	"the file is empty",
	"Attachment {0}",
	"Attachments: at most {0} files at a time.",
	"The files are too large to send together.",
	"It could not be sent. Please try again.",
	"It could not be sent. Please check your connection and try again.",
)


def get_context(context):
	access.customer_for("ticket.create")
	common_context(context, _("New support ticket"), ("/portal/tickets", _("Support tickets")))
	upload_context(context)
	return context


def upload_context(context):
	"""What the file picker of a ticket form tells and checks (the server checks again)."""
	context.update(
		{
			"max_file_mb": MAX_FILE_BYTES // (1024 * 1024),
			"max_files": tickets.MAX_FILES,
			"max_subject": tickets.MAX_SUBJECT,
			"max_text": tickets.MAX_TEXT,
			"accept": ",".join("." + ext for ext in ALLOWED_EXTENSIONS),
			"extensions": ",".join(ALLOWED_EXTENSIONS),
			"max_file_bytes": MAX_FILE_BYTES,
			"js_messages_json": js_messages(JS_MESSAGES),
		}
	)
