// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// The status moves only through these buttons (rma_portal/api/warranty.py -> services/warranty/warranty_claims.py).
frappe.ui.form.on("Customer Warranty Claim", {
	setup(frm) {
		frm.set_query("credit_document", () => ({ filters: { customer: frm.doc.customer, docstatus: 1 } }));
		frm.set_query("sales_invoice", () => ({ filters: { customer: frm.doc.customer, docstatus: 1, is_return: 0 } }));
		frm.set_query("rma", () => ({ filters: { customer: frm.doc.customer } }));
		// New Email / Reply in the timeline go to the dealer: their answer shows on the claim's page
		frm.email_field = "portal_user";
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const status = frm.doc.status;
		const group = __("Actions");

		if (status === "Received") {
			frm.add_custom_button(__("Start processing"), () => wc_call(frm, "start_processing", {}), group);
		}
		if (status === "In processing") {
			frm.add_custom_button(__("Grant"), () => wc_grant_dialog(frm), group);
			frm.add_custom_button(__("Refuse"), () => wc_refuse_dialog(frm), group);
		}
		if (!frm.doc.goods_received) {
			frm.add_custom_button(__("Goods received"), () => wc_call(frm, "set_goods_received", { received: 1 }), group);
		} else {
			frm.add_custom_button(__("Goods not received"), () => wc_call(frm, "set_goods_received", { received: 0 }), group);
		}
		frm.add_custom_button(__("Claim PDF"), () => {
			window.open(
				"/api/method/rma_portal.api.warranty.download?kind=claim&name=" + encodeURIComponent(frm.doc.name)
			);
		});
		if (frm.doc.credit_document) {
			frm.add_custom_button(__("Credit Document"), () =>
				frappe.set_route("Form", "Sales Invoice", frm.doc.credit_document)
			);
		}
		frm.set_intro(wc_intro(frm));
	},
});

function wc_intro(frm) {
	if (frm.doc.status === "Received") return __("New claim: use Actions > Start processing when you take it up.");
	if (frm.doc.status === "In processing" && !frm.doc.supplier_response)
		return __("To refuse the claim, attach the supplier's response first (or in the Refuse dialog).");
	return "";
}

function wc_call(frm, method, args) {
	const go = () =>
		frappe
			.call({
				method: `rma_portal.api.warranty.${method}`,
				args: Object.assign({ name: frm.doc.name }, args),
				freeze: true,
			})
			.then((r) => {
				frm.reload_doc();
				return r.message;
			});
	// unsaved edits (remark, attachments) go first, so the action does not overwrite them
	return frm.is_dirty() ? frm.save().then(go) : go();
}

function wc_grant_dialog(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Grant {0}", [frm.doc.name]),
		fields: [
			{ fieldname: "note", fieldtype: "Small Text", label: __("Decision note (shown to the customer)") },
			{
				fieldname: "credit_document",
				fieldtype: "Link",
				label: __("Credit document (Sales Invoice)"),
				options: "Sales Invoice",
				get_query: () => ({ filters: { customer: frm.doc.customer, docstatus: 1 } }),
				description: __("The credit note or invoice for this claim, e.g. a Sales Invoice return."),
			},
			{
				fieldname: "credit_document_file",
				fieldtype: "Attach",
				label: __("or a credit document file"),
			},
		],
		primary_action_label: __("Grant"),
		primary_action(values) {
			wc_call(frm, "grant", {
				note: values.note || "",
				credit_document: values.credit_document || "",
				credit_document_file: values.credit_document_file || "",
			}).then(() => dialog.hide());
		},
	});
	dialog.show();
}

function wc_refuse_dialog(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Refuse {0}", [frm.doc.name]),
		fields: [
			{ fieldname: "note", fieldtype: "Small Text", label: __("Reason (shown to the customer)"), reqd: 1 },
			{
				fieldname: "supplier_response",
				fieldtype: "Attach",
				label: __("Supplier response"),
				reqd: frm.doc.supplier_response ? 0 : 1,
				default: frm.doc.supplier_response || "",
				description: __("Required: the supplier's response is always given to the customer with a refusal."),
			},
		],
		primary_action_label: __("Refuse"),
		primary_action(values) {
			const response = values.supplier_response || "";
			wc_call(frm, "refuse", {
				note: values.note,
				supplier_response: response && response !== frm.doc.supplier_response ? response : "",
			}).then(() => dialog.hide());
		},
	});
	dialog.show();
}
