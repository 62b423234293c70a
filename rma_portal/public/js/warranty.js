// rma_portal: the "new warranty claim" page (/warranty/new). Plain JS on top of Frappe's web bundle.
// The DOM is built with textContent, never innerHTML from data, so nothing a user typed runs.
(function () {
	"use strict";

	const API = "/api/method/rma_portal.api.warranty.";
	const { el, format_date, translate: t, error_alert, file_picker, send_and_open } = window.rma_portal_ui;

	function new_claim(root) {
		if (!root) return;
		const config = JSON.parse(root.querySelector("#wc-new-config").textContent);
		const form = root.querySelector(".wc-form");
		if (!form) return;
		const item = form.querySelector("#wc-item");
		const invoice = form.querySelector("#wc-invoice");
		const purchase_date = form.querySelector("#wc-purchase-date");
		const submit = form.querySelector(".wc-submit");
		const show_errors = error_alert(root.querySelector(".wc-errors"), root.querySelector(".wc-error-list"));
		const picker = file_picker({
			input: form.querySelector("#wc-files"),
			label: form.querySelector(".custom-file-label"),
			list: form.querySelector(".wc-file-list"),
			extensions: config.extensions,
			max_bytes: config.max_file_bytes,
			prefix: "wc",
		});
		const date_format = root.dataset.dateFormat;

		// The chosen item's invoices, asked for when it is chosen (a long history is never loaded whole).
		async function invoices_of(item_code) {
			if (!item_code) return [];
			try {
				const response = await fetch(API + "item_invoices?item_code=" + encodeURIComponent(item_code), {
					headers: { Accept: "application/json" },
				});
				const data = await response.json();
				return (response.ok && data && data.message) || [];
			} catch (e) {
				return []; // offline for a moment: the claim can still be sent without an invoice
			}
		}

		item.addEventListener("change", async () => {
			const chosen = item.value;
			invoice.disabled = true;
			const invoices = await invoices_of(chosen);
			if (item.value !== chosen) return; // another item was chosen meanwhile
			invoice.textContent = "";
			invoice.appendChild(el("option", { value: "", text: t("No invoice / not known") }));
			invoices.forEach((inv) => {
				invoice.appendChild(
					el("option", {
						value: inv.name,
						"data-date": inv.posting_date,
						text: inv.name + " · " + format_date(inv.posting_date, date_format),
					})
				);
			});
			invoice.disabled = !invoices.length;
			if (invoices.length) {
				invoice.value = invoices[0].name;
			}
			invoice.dispatchEvent(new Event("change"));
		});

		invoice.addEventListener("change", () => {
			const option = invoice.selectedOptions[0];
			if (option && option.dataset.date) purchase_date.value = format_date(option.dataset.date, date_format);
		});

		function local_errors() {
			const errors = [];
			if (!item.value) errors.push(t("Item: please choose the item you claim for."));
			if (!form.querySelector("#wc-description").value.trim())
				errors.push(t("Problem description: please describe the problem."));
			return errors.concat(
				picker.errors(config.max_files, t("Attachments: at most {0} files per claim.", [config.max_files]))
			);
		}

		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			const errors = local_errors();
			show_errors(errors);
			if (errors.length) return;
			const data = new FormData();
			["item_code", "serial_no", "sales_invoice", "purchase_date", "description"].forEach((key) => {
				const field = form.elements[key];
				if (field && !field.disabled && field.value) data.append(key, field.value.trim());
			});
			picker.append_to(data);
			await send_and_open(API + "submit_claim", data, submit, show_errors, {
				failed: t("The claim could not be sent. Please try again."),
				offline: t("The claim could not be sent. Please check your connection and try again."),
			});
		});
	}

	window.rma_portal_warranty = { new_claim };
})();
