// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// Status moves only through these buttons (rma_portal/api/desk.py -> services/lifecycle.py).
const RMA_HANDLINGS = ["", "Credit", "Replace", "Repair", "Scrap", "Send back"];

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
		if (frm.doc.credit_note) {
			frm.add_custom_button(__("Credit Note"), () =>
				frappe.set_route("Form", "Sales Invoice", frm.doc.credit_note)
			);
		}
	},
});

function rma_call(frm, method, args, freeze_message) {
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
		});
}

function rma_receive_dialog(frm) {
	const rows = (frm.doc.items || []).map((row) => ({
		row_name: row.name,
		item_code: row.item_code,
		item_name: row.item_name,
		qty_requested: row.qty_requested,
		qty_received: flt(row.qty_received) || row.qty_requested,
		handling: row.handling || "",
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
				{ quantities: JSON.stringify(quantities), handling: JSON.stringify(handling) },
				__("Receiving...")
			).then(() => dialog.hide());
		},
	});
	dialog.show();
}

function rma_make_credit_note(frm) {
	frappe.confirm(
		__("Make and submit the credit note for the received quantities of {0}?", [frm.doc.name]),
		() =>
			rma_call(frm, "make_credit_note", {}, __("Making the credit note...")).then((message) => {
				if (message && message.credit_note) {
					frappe.show_alert({
						message: __("Credit note {0} submitted", [message.credit_note]),
						indicator: "green",
					});
				}
			})
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
