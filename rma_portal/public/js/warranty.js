// rma_portal: the "new warranty claim" page (/warranty/new). Plain JS on top of Frappe's web bundle.
// The DOM is built with textContent, never innerHTML from data, so nothing a user typed runs.
(function () {
	"use strict";

	const API = "/api/method/rma_portal.api.warranty.";
	const { el, format_date, server_messages, translate: t } = window.rma_portal_ui;

	function size_text(bytes) {
		if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1) + " MB";
		return Math.max(1, Math.round(bytes / 1024)) + " KB";
	}

	function new_claim(root) {
		if (!root) return;
		const config = JSON.parse(root.querySelector("#wc-new-config").textContent);
		const form = root.querySelector(".wc-form");
		if (!form) return;
		const item = form.querySelector("#wc-item");
		const invoice = form.querySelector("#wc-invoice");
		const purchase_date = form.querySelector("#wc-purchase-date");
		const files_input = form.querySelector("#wc-files");
		const files_label = form.querySelector(".custom-file-label");
		const file_list = form.querySelector(".wc-file-list");
		const submit = form.querySelector(".wc-submit");
		const error_box = root.querySelector(".wc-errors");
		const error_list = root.querySelector(".wc-error-list");
		let files = [];

		const date_format = root.dataset.dateFormat;

		function show_errors(messages) {
			error_list.textContent = "";
			messages.forEach((m) => error_list.appendChild(el("li", { text: m })));
			error_box.classList.toggle("d-none", !messages.length);
			if (messages.length) {
				error_box.scrollIntoView({ behavior: "smooth", block: "start" });
				error_box.focus({ preventScroll: true });
			}
		}

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

		function file_problem(file) {
			const ext = (file.name.split(".").pop() || "").toLowerCase();
			if (!file.name.includes(".") || !config.extensions.includes(ext))
				return t("only JPG, PNG and PDF files are accepted");
			if (file.size > config.max_file_bytes)
				return t("larger than {0} MB", [Math.round(config.max_file_bytes / (1024 * 1024))]);
			if (!file.size) return t("the file is empty");
			return null;
		}

		function render_files() {
			file_list.textContent = "";
			files.forEach((file, index) => {
				const problem = file_problem(file);
				const remove = el("button", {
					type: "button",
					class: "btn btn-link btn-sm text-danger p-0 ml-2 wc-file-remove",
					text: t("Remove"),
					"aria-label": t("Remove {0}", [file.name]),
				});
				remove.addEventListener("click", () => {
					files.splice(index, 1);
					render_files();
				});
				file_list.appendChild(
					el("li", { class: "list-group-item px-0 py-1 d-flex align-items-center wc-file" }, [
						el("span", { class: "text-truncate wc-file-name", text: file.name }),
						el("span", { class: "small text-muted ml-2 text-nowrap", text: size_text(file.size) }),
						problem ? el("span", { class: "small text-danger ml-2", text: problem }) : null,
						el("span", { class: "ml-auto" }, [remove]),
					])
				);
			});
			files_label.textContent = files.length
				? t("{0} file(s) chosen", [files.length])
				: t("Choose files");
		}

		files_input.addEventListener("change", () => {
			Array.from(files_input.files || []).forEach((file) => {
				if (!files.some((f) => f.name === file.name && f.size === file.size)) files.push(file);
			});
			files_input.value = "";
			render_files();
		});

		function local_errors() {
			const errors = [];
			if (!item.value) errors.push(t("Item: please choose the item you claim for."));
			if (!form.querySelector("#wc-description").value.trim())
				errors.push(t("Problem description: please describe the problem."));
			if (files.length > config.max_files)
				errors.push(t("Attachments: at most {0} files per claim.", [config.max_files]));
			files.forEach((file) => {
				const problem = file_problem(file);
				if (problem) errors.push(t("Attachment {0}", [file.name]) + ": " + problem + ".");
			});
			return errors;
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
			files.forEach((file) => data.append("files", file, file.name));
			submit.disabled = true;
			const label = submit.textContent;
			submit.textContent = t("Sending...");
			try {
				const response = await fetch(API + "submit_claim", {
					method: "POST",
					headers: { Accept: "application/json", "X-Frappe-CSRF-Token": frappe.csrf_token || "" },
					body: data,
				});
				let body = {};
				try {
					body = await response.json();
				} catch (e) {
					body = {};
				}
				if (response.ok && body.message && body.message.url) {
					window.location.href = body.message.url;
					return;
				}
				let messages = server_messages(body);
				if (response.status === 413) messages = [t("The files are too large to send together.")];
				show_errors(messages.length ? messages : [t("The claim could not be sent. Please try again.")]);
			} catch (e) {
				show_errors([t("The claim could not be sent. Please check your connection and try again.")]);
			}
			submit.disabled = false;
			submit.textContent = label;
		});
	}

	window.rma_portal_warranty = { new_claim };
})();
