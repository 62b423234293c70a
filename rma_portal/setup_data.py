"""What the app adds to ERPNext's DocTypes and roles, in one place for install and uninstall."""

# role name -> desk access
ROLES = {
	"RMA Manager": 1,  # returns / service staff in the desk
}


# Quote requests of the customer portal (services/portal/quote_requests.py): on the Opportunity (or draft
# Quotation) a request becomes. The key is unique, so a request sent twice makes one record.
QUOTE_REQUEST_FIELDS = [
	{
		"fieldname": "portal_request_key",
		"label": "Portal Request Key",
		"fieldtype": "Data",
		"insert_after": "status",
		"read_only": 1,
		"hidden": 1,
		"no_copy": 1,
		"unique": 1,
		"description": "Set by the customer portal's quote request form, so a request sent twice makes one record.",
	},
	{
		"fieldname": "portal_delivery_option",
		"label": "Delivery Option",
		"fieldtype": "Select",
		"options": "\nDelivery\nPickup",
		"insert_after": "portal_request_key",
		"read_only": 1,
		"depends_on": "portal_delivery_option",
		"description": "As asked in the customer portal: delivery to the customer's address, or pickup.",
	},
	{
		"fieldname": "portal_remarks",
		"label": "Customer Remarks",
		"fieldtype": "Small Text",
		"insert_after": "portal_delivery_option",
		"read_only": 1,
		"depends_on": "portal_remarks",
	},
]

# Files staff share with a customer (services/portal/shared_files.py): attached to the Customer and ticked.
SHARED_FILE_FIELDS = [
	{
		"fieldname": "portal_shared",
		"label": "Shared in the Customer Portal",
		"fieldtype": "Check",
		"insert_after": "is_private",
		"depends_on": "eval:doc.attached_to_doctype == 'Customer'",
		"search_index": 1,
		"description": "The customer's portal users can download this file under Shared files "
		"(only for a file attached to the Customer).",
	},
]


def custom_fields() -> dict:
	return {
		"Sales Invoice": [
			{
				"fieldname": "rma",
				"label": "RMA",
				"fieldtype": "Link",
				"options": "RMA",
				"insert_after": "return_against",
				# Editable, so a credit note made by hand can settle an RMA too (on_submit checks it).
				"no_copy": 1,
				"search_index": 1,
				"depends_on": "eval:doc.is_return || doc.rma",
				"description": "The RMA this credit note settles; submitting it marks the RMA Invoiced.",
			},
		],
		# The RMA a delivery belongs to: goods received back for it (a return, services/returns/lifecycle.py)
		# or sent for it (a replacement, goods sent back; services/returns/outcome.py). Such deliveries are
		# never return candidates again (services/history/delivered_lines.py, services/returns/candidates.py).
		"Delivery Note": [
			{
				"fieldname": "rma",
				"label": "RMA",
				"fieldtype": "Link",
				"options": "RMA",
				"insert_after": "return_against",
				"read_only": 1,
				"no_copy": 1,
				"search_index": 1,
				"depends_on": "eval:doc.rma",
				"description": "The RMA whose goods this delivery received back or sent.",
			},
		],
		# An offer's answer given in the customer portal (services/portal/portal_quotations.py): who and when.
		"Quotation": [
			*QUOTE_REQUEST_FIELDS,
			{
				"fieldname": "portal_answer",
				"label": "Answer in the Portal",
				"fieldtype": "Select",
				"options": "\nAccepted\nRejected",
				"insert_after": "valid_till",
				"read_only": 1,
				"no_copy": 1,
				"allow_on_submit": 1,
			},
			{
				"fieldname": "portal_answered_by",
				"label": "Answered by",
				"fieldtype": "Link",
				"options": "User",
				"insert_after": "portal_answer",
				"read_only": 1,
				"no_copy": 1,
				"allow_on_submit": 1,
				"depends_on": "portal_answer",
			},
			{
				"fieldname": "portal_answered_on",
				"label": "Answered on",
				"fieldtype": "Datetime",
				"insert_after": "portal_answered_by",
				"read_only": 1,
				"no_copy": 1,
				"allow_on_submit": 1,
				"depends_on": "portal_answer",
			},
		],
		"Opportunity": QUOTE_REQUEST_FIELDS,
		"File": SHARED_FILE_FIELDS,
		"Customer": [
			{
				"fieldname": "rma_portal_authorised",
				"label": "Authorised for the Portal",
				"fieldtype": "Check",
				"insert_after": "portal_users",
				"read_only": 1,
				"no_copy": 1,
				"description": "Set when a Company Authorisation is accepted (or, for customers whose users "
				"used the portal before, on upgrade). Until then the company's portal users are blocked.",
			},
			{
				"fieldname": "rma_authorised_on",
				"label": "Authorised On",
				"fieldtype": "Date",
				"insert_after": "rma_portal_authorised",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "rma_activated_on",
				"label": "Portal Activated On",
				"fieldtype": "Datetime",
				"insert_after": "rma_authorised_on",
				"read_only": 1,
				"no_copy": 1,
				"description": "When the company administrator confirmed the company's data and accepted the terms.",
			},
			{
				"fieldname": "rma_activated_by",
				"label": "Portal Activated By",
				"fieldtype": "Link",
				"options": "User",
				"insert_after": "rma_activated_on",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "rma_e_invoices",
				"label": "Electronic Invoices",
				"fieldtype": "Check",
				"insert_after": "rma_activated_by",
				"read_only": 1,
				"no_copy": 1,
				"description": "The company opted in to electronic invoices in the portal.",
			},
			{
				"fieldname": "rma_e_invoices_since",
				"label": "Electronic Invoices Since",
				"fieldtype": "Date",
				"insert_after": "rma_e_invoices",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "rma_authorised_collectors",
				"label": "Persons Authorised to Collect",
				"fieldtype": "Small Text",
				"insert_after": "rma_e_invoices_since",
				"read_only": 1,
				"no_copy": 1,
				"description": "The company's enabled portal users with the BR right: they may collect its goods "
				"at our branches. Kept by the portal from the company's users.",
			},
		],
		"Brand": [
			{
				"fieldname": "rma_serial_no_required",
				"label": "Serial No Required for RMA",
				"fieldtype": "Check",
				"insert_after": "description",
				"description": "Service requests for this brand's items must name a serial number.",
			},
			{
				"fieldname": "rma_serial_policy",
				"label": "Serial Numbers in RMAs",
				"fieldtype": "Select",
				"options": "Free text\nERPNext Serial No sold to the customer",
				"default": "Free text",
				"insert_after": "rma_serial_no_required",
				"description": "Free text: any serial as printed on the product (checked against the pattern "
				"below when set). ERPNext Serial No: it must be a Serial No of the item delivered to the "
				"customer. The same rule holds for service requests and warranty claims.",
			},
			{
				"fieldname": "rma_serial_pattern",
				"label": "Serial Number Pattern",
				"fieldtype": "Data",
				"insert_after": "rma_serial_policy",
				"depends_on": "eval:doc.rma_serial_policy != 'ERPNext Serial No sold to the customer'",
				"description": "A regular expression the whole serial number must match, e.g. VT[0-9]{8}.",
			},
		],
	}


# Email Templates made on install / migrate when missing (data/email_templates.json; install.make_email_templates):
# key = the mail's occasion (an RMA status, or "Confirmation"), value = the Email Template's name.
EMAIL_TEMPLATES = {
	"Confirmation": "RMA Confirmation",
	"Received": "RMA Received",
	"Invoiced": "RMA Invoiced",
	"Rejected": "RMA Rejected",
	"Cancelled": "RMA Cancelled",
	# the approval of a return request (services/policy): sent for review, approved, declined
	"Requested": "RMA Awaiting Approval",
	"Approved": "RMA Approved",
	"Declined": "RMA Declined",
	"Completed": "RMA Completed",
	# to staff, daily: requests past their review time (services/returns/review.py)
	"Approval Digest": "RMA Approval Digest",
	# service requests (RMA kind Service): their own wording and a link to the request's page
	"Service Confirmation": "Service Request Confirmation",
	"Service Received": "Service Request Received",
	"Service Completed": "Service Request Completed",
	"Service Repair Quote": "Service Repair Quote",
	# warranty claims (services/warranty/warranty_claims.py MAIL_KEYS): never an RMA status
	"Claim Received": "Warranty Claim Received",
	"Claim Granted": "Warranty Claim Granted",
	"Claim Refused": "Warranty Claim Refused",
}
