// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// Status moves only through these buttons (rma_portal/api/desk.py -> services/returns/lifecycle.py).
// Handling per line, decided at receipt: only Credit lines go on the credit note.
const RMA_HANDLINGS = ["", "Credit", "Replace", "Repair", "Reject"];

frappe.ui.form.on("RMA", {
	setup(frm) {
		// New Email / Reply in the timeline go to the dealer: their answer shows on the request's page
		frm.email_field = "contact_email";
	},
	refresh(frm) {
		if (frm.is_new()) return;
		const mismatched = (frm.doc.items || []).filter((row) => row.serial_mismatch).map((row) => row.idx);
		if (mismatched.length) {
			frm.set_intro(
				__("Lines {0}: a unit received has another serial number than the customer named.", [
					mismatched.join(", "),
				]),
				"orange"
			);
		}
		const status = frm.doc.status;
		const received = (frm.doc.items || []).some((row) => flt(row.qty_received) > 0);
		// Invoiced or closed: the lines are in ERPNext's books (credit notes, deliveries); nothing is
		// edited by hand any more, the remaining steps are the actions below.
		if (["Invoiced", "Completed", "Rejected", "Cancelled"].includes(status)) {
			frm.disable_form();
		}
		// several credit notes (lines over several invoices): the table lists them all, not the field
		frm.toggle_display("credit_note", (frm.doc.credit_notes || []).length < 2);

		if (status === "Requested") {
			// awaiting approval (an RMA Approval Rule held it): the review queue's actions, for one
			frm.add_custom_button(__("Approve"), () => rma_decide(frm, "approve"), __("Actions"));
			frm.add_custom_button(
				__("Decline"),
				() =>
					frappe.prompt(
						{
							fieldname: "reason",
							fieldtype: "Small Text",
							label: __("Reason (the dealer reads it)"),
							reqd: 1,
						},
						(values) => rma_decide(frm, "decline", values.reason),
						__("Decline {0}", [frm.doc.name]),
						__("Decline")
					),
				__("Actions")
			);
		}
		if (["Expected", "Received"].includes(status)) {
			frm.add_custom_button(__("Receive"), () => rma_receive_dialog(frm), __("Actions"));
		}
		if (status === "Received" && received) {
			frm.add_custom_button(__("Make Credit Note"), () => rma_make_credit_note(frm), __("Actions"));
		}
		const to_ship = (frm.doc.items || []).some(
			(row) =>
				flt(row.qty_received) > 0 &&
				["Replace", "Repair", "Reject"].includes(row.handling) &&
				!row.outcome_delivery_note
		);
		if (["Received", "Invoiced"].includes(status) && to_ship) {
			frm.add_custom_button(
				__("Send Replacements and Returns"),
				() => rma_ship_outcomes(frm),
				__("Actions")
			);
		}
		if (frm.doc.kind === "Service" && status === "Received" && received) {
			frm.add_custom_button(__("Diagnose"), () => rma_diagnose_dialog(frm), __("Actions"));
			if (!["Sent", "Accepted"].includes(frm.doc.repair_quote_status || "")) {
				frm.add_custom_button(
					__("Send Repair Quote"),
					() => rma_repair_quote_dialog(frm),
					__("Actions")
				);
			}
		}
		// a received service request's units go back to the customer: Reject is a line's handling then
		if (status === "Expected" || (status === "Received" && frm.doc.kind !== "Service")) {
			frm.add_custom_button(
				__("Reject"),
				() => rma_reason_dialog(frm, __("Reject {0}", [frm.doc.name]), "reject_rma"),
				__("Actions")
			);
		}
		if (["Draft", "Requested", "Expected"].includes(status)) {
			frm.add_custom_button(
				__("Cancel"),
				() => rma_reason_dialog(frm, __("Cancel {0}", [frm.doc.name]), "cancel_rma"),
				__("Actions")
			);
		}
		(frm.doc.credit_notes || []).forEach((row) => {
			frm.add_custom_button(
				row.sales_invoice,
				() => frappe.set_route("Form", "Sales Invoice", row.sales_invoice),
				__("Credit Notes")
			);
		});
	},
});

// One key per dialog / confirmation: a double click or a retry sends the same key, and the server
// books the action once. The button stays disabled until the answer is in.
function rma_request_key() {
	return frappe.utils.get_random(20);
}

function rma_call(frm, method, args, freeze_message, button) {
	if (button) button.prop("disabled", true);
	return frappe
		.call({
			method: `rma_portal.api.desk.${method}`,
			args: Object.assign({ name: frm.doc.name }, args),
			freeze: true,
			freeze_message: freeze_message,
		})
		.then((r) => {
			frm.reload_doc();
			return r.message;
		})
		.always(() => {
			if (button) button.prop("disabled", false);
		});
}

// A dialog's action: the call with the dialog's button held, then the dialog closed and the server's
// message, when it gives one, shown.
function rma_dialog_call(frm, dialog, method, args, freeze_message) {
	return rma_call(frm, method, args, freeze_message, dialog.get_primary_btn()).then((message) => {
		dialog.hide();
		if (message && message.message) {
			frappe.show_alert({ message: message.message, indicator: "green" }, 10);
		}
	});
}

async function rma_reason_defaults(frm) {
	const reasons = [...new Set((frm.doc.items || []).map((row) => row.return_reason).filter(Boolean))];
	if (!reasons.length) return {};
	const rows = await frappe.db.get_list("RMA Return Reason", {
		filters: { name: ["in", reasons] },
		fields: ["name", "default_handling"],
	});
	return Object.fromEntries(rows.map((row) => [row.name, row.default_handling || ""]));
}

async function rma_receive_dialog(frm) {
	// the reason's default handling only pre-fills the choice; staff decide here
	const defaults = await rma_reason_defaults(frm);
	const request_key = rma_request_key();
	const rows = (frm.doc.items || []).map((row) => ({
		row_name: row.name,
		item_code: row.item_code,
		item_name: row.item_name,
		qty_requested: row.qty_requested,
		qty_received: flt(row.qty_received) || row.qty_requested,
		handling: row.handling || defaults[row.return_reason] || "",
		// the units that arrived, one serial number per line (the customer's by default)
		received_serial_nos: row.received_serial_nos || row.serial_nos || "",
	}));
	const dialog = new frappe.ui.Dialog({
		title: __("Receive {0}", [frm.doc.name]),
		size: "large",
		fields: [
			{
				fieldname: "lines",
				fieldtype: "Table",
				label: __("Lines"),
				cannot_add_rows: true,
				cannot_delete_rows: true,
				in_place_edit: true,
				data: rows,
				fields: [
					{ fieldname: "row_name", fieldtype: "Data", hidden: 1, label: __("Row") },
					{
						fieldname: "item_code",
						fieldtype: "Link",
						options: "Item",
						label: __("Item"),
						in_list_view: 1,
						read_only: 1,
						columns: 2,
					},
					{
						fieldname: "qty_requested",
						fieldtype: "Float",
						label: __("Requested"),
						in_list_view: 1,
						read_only: 1,
						columns: 1,
					},
					{
						fieldname: "qty_received",
						fieldtype: "Float",
						label: __("Received Qty"),
						in_list_view: 1,
						columns: 2,
					},
					{
						fieldname: "handling",
						fieldtype: "Select",
						options: RMA_HANDLINGS.join("\n"),
						label: __("Handling"),
						in_list_view: 1,
						columns: 2,
					},
					{
						fieldname: "received_serial_nos",
						fieldtype: "Small Text",
						label: __("Serial Nos Received"),
						in_list_view: 1,
						columns: 3,
					},
				],
			},
		],
		primary_action_label: __("Receive"),
		primary_action(values) {
			const quantities = {};
			const handling = {};
			const serials = {};
			(values.lines || []).forEach((line) => {
				quantities[line.row_name] = flt(line.qty_received);
				if (line.handling) handling[line.row_name] = line.handling;
				if ((line.received_serial_nos || "").trim()) serials[line.row_name] = line.received_serial_nos;
			});
			rma_dialog_call(
				frm,
				dialog,
				"receive_rma",
				{
					quantities: JSON.stringify(quantities),
					handling: JSON.stringify(handling),
					serials: JSON.stringify(serials),
					request_key,
				},
				__("Receiving...")
			);
		},
	});
	dialog.show();
}

function rma_make_credit_note(frm) {
	const request_key = rma_request_key();
	frappe.confirm(
		__("Make and submit the credit note for the received quantities of {0}?", [frm.doc.name]),
		() =>
			rma_call(frm, "make_credit_note", { request_key }, __("Making the credit note...")).then(
				(message) => {
					if (message && message.message) {
						frappe.show_alert({ message: message.message, indicator: "green" }, 10);
					}
				}
			)
	);
}

// The outbound parcel (carrier, tracking number and link, shown to the customer) and, for the
// repaired lines of a service request, what was repaired.
function rma_ship_outcomes(frm) {
	const request_key = rma_request_key();
	const repaired = (frm.doc.items || []).filter(
		(row) => flt(row.qty_received) > 0 && row.handling === "Repair" && !row.outcome_delivery_note
	);
	const fields = [
		{ fieldname: "carrier", fieldtype: "Data", label: __("Carrier") },
		{ fieldname: "tracking_no", fieldtype: "Data", label: __("Tracking No.") },
		{ fieldname: "tracking_url", fieldtype: "Data", options: "URL", label: __("Tracking Link") },
	];
	repaired.forEach((row) => {
		fields.push({
			fieldname: `report_${row.name}`,
			fieldtype: "Small Text",
			label: __("Repair Report: line {0} ({1})", [row.idx, row.item_code]),
			default: row.repair_report || "",
			reqd: frm.doc.kind === "Service" ? 1 : 0,
		});
	});
	const dialog = new frappe.ui.Dialog({
		title: __("Send Replacements and Returns"),
		fields: fields,
		primary_action_label: __("Make Delivery Notes"),
		primary_action(values) {
			const repair_reports = {};
			repaired.forEach((row) => (repair_reports[row.name] = values[`report_${row.name}`] || ""));
			rma_dialog_call(
				frm,
				dialog,
				"ship_outcomes",
				{
					request_key,
					carrier: values.carrier || "",
					tracking_no: values.tracking_no || "",
					tracking_url: values.tracking_url || "",
					repair_reports: JSON.stringify(repair_reports),
				},
				__("Making the delivery notes...")
			);
		},
	});
	dialog.show();
}

function rma_diagnose_dialog(frm) {
	const request_key = rma_request_key();
	const rows = (frm.doc.items || []).filter((row) => flt(row.qty_received) > 0);
	const fields = [];
	rows.forEach((row) => {
		fields.push(
			{
				fieldtype: "Section Break",
				label: __("Line {0}: {1} {2}", [row.idx, row.item_code, row.serial_no || ""]),
			},
			{
				fieldname: `diagnosis_${row.name}`,
				fieldtype: "Small Text",
				label: __("Diagnosis"),
				default: row.diagnosis || "",
			},
			{ fieldtype: "Column Break" },
			{
				fieldname: `covered_${row.name}`,
				fieldtype: "Select",
				label: __("Covered by Warranty"),
				options: ["", "Covered", "Not covered"].join("\n"),
				default: row.fault_covered || "",
			},
			{
				fieldname: `handling_${row.name}`,
				fieldtype: "Select",
				label: __("Handling"),
				options: RMA_HANDLINGS.join("\n"),
				default: row.handling || "",
			}
		);
	});
	const dialog = new frappe.ui.Dialog({
		title: __("Diagnose {0}", [frm.doc.name]),
		size: "large",
		fields: fields,
		primary_action_label: __("Save Diagnosis"),
		primary_action(values) {
			const lines = {};
			rows.forEach((row) => {
				if (!values[`diagnosis_${row.name}`]) return;
				lines[row.name] = {
					diagnosis: values[`diagnosis_${row.name}`],
					covered: values[`covered_${row.name}`] || "",
					handling: values[`handling_${row.name}`] || "",
				};
			});
			rma_dialog_call(
				frm,
				dialog,
				"diagnose_rma",
				{ lines: JSON.stringify(lines), request_key },
				__("Saving...")
			);
		},
	});
	dialog.show();
}

function rma_repair_quote_dialog(frm) {
	const request_key = rma_request_key();
	const dialog = new frappe.ui.Dialog({
		title: __("Send Repair Quote"),
		fields: [
			{
				fieldname: "amount",
				fieldtype: "Currency",
				label: __("Price of the Repair"),
				options: "currency",
				reqd: 1,
			},
			{ fieldname: "description", fieldtype: "Small Text", label: __("What the repair includes") },
		],
		primary_action_label: __("Send Repair Quote"),
		primary_action(values) {
			rma_dialog_call(
				frm,
				dialog,
				"send_repair_quote",
				{ amount: values.amount, description: values.description || "", request_key },
				__("Making the quotation...")
			);
		},
	});
	dialog.show();
}

function rma_reason_dialog(frm, title, method) {
	frappe.prompt(
		[{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 }],
		(values) => rma_call(frm, method, { reason: values.reason }),
		title,
		__("Confirm")
	);
}

function rma_decide(frm, action, reason) {
	frappe.call({
		method: "rma_portal.api.desk.decide_requests",
		args: { names: [frm.doc.name], action, reason },
		freeze: true,
		callback(r) {
			if (r.message) frappe.show_alert({ message: r.message.message, indicator: "green" });
			frm.reload_doc();
		},
	});
}
