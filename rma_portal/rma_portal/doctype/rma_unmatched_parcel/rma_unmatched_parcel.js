// Unmatched parcel: staff match it to the RMA it belongs to once found (api/receiving.py).
frappe.ui.form.on("RMA Unmatched Parcel", {
	refresh(frm) {
		if (frm.doc.status !== "Open" || frm.is_new()) return;
		frm.add_custom_button(__("Match to RMA"), () => {
			frappe.prompt(
				[{ fieldname: "rma", fieldtype: "Link", options: "RMA", label: __("RMA"), reqd: 1 }],
				(values) =>
					frappe
						.call({
							method: "rma_portal.api.receiving.match_parcel",
							args: { parcel: frm.doc.name, rma: values.rma },
						})
						.then(() => frm.reload_doc()),
				__("Match to RMA"),
				__("Match")
			);
		});
	},
});
