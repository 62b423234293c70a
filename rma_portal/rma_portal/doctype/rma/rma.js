// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// Status moves only through these buttons (rma_portal/api/desk.py -> services/lifecycle.py).
// Handling per line, decided at receipt: only Credit lines go on the credit note.
const RMA_HANDLINGS = ["", "Credit", "Replace", "Repair", "Reject"];

frappe.ui.form.on("RMA", {
	refresh(frm) {
		if (frm.is_new()) return;
		const status = frm.doc.status;
		const received = (frm.doc.items || []).some((row) => flt(row.qty_received) > 0);

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
		if (["Expected", "Received"].includes(status)) {
			frm.add_custom_button(
				__("Reject"),
				() => rma_reason_dialog(frm, __("Reject {0}", [frm.doc.name]), "reject_rma"),
				__("Actions")
			);
		}
		if (["Draft", "Expected"].includes(status)) {
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
						columns: 3,
					},
					{
						fieldname: "qty_requested",
						fieldtype: "Float",
						label: __("Requested"),
						in_list_view: 1,
						read_only: 1,
						columns: 2,
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
						columns: 3,
					},
				],
			},
		],
		primary_action_label: __("Receive"),
		primary_action(values) {
			const quantities = {};
			const handling = {};
			(values.lines || []).forEach((line) => {
				quantities[line.row_name] = flt(line.qty_received);
				if (line.handling) handling[line.row_name] = line.handling;
			});
			rma_call(
				frm,
				"receive_rma",
				{ quantities: JSON.stringify(quantities), handling: JSON.stringify(handling), request_key },
				__("Receiving..."),
				dialog.get_primary_btn()
			).then(() => dialog.hide());
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

function rma_ship_outcomes(frm) {
	const request_key = rma_request_key();
	frappe.confirm(
		__(
			"Make and submit the delivery notes for the replacements and for the repaired and rejected goods of {0}?",
			[frm.doc.name]
		),
		() =>
			rma_call(frm, "ship_outcomes", { request_key }, __("Making the delivery notes...")).then(
				(message) => {
					if (message && message.message) {
						frappe.show_alert({ message: message.message, indicator: "green" }, 10);
					}
				}
			)
	);
}

function rma_reason_dialog(frm, title, method) {
	frappe.prompt(
		[{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 }],
		(values) => rma_call(frm, method, { reason: values.reason }),
		title,
		__("Confirm")
	);
}
