// rma_portal: scripts of the /portal pages (tickets, project Gantt, quote requests). Plain JS on top of
// Frappe's web bundle; the DOM is built with textContent, never innerHTML from data.
(function () {
	"use strict";

	const API = "/api/method/";
	const { el, server_messages, translate: t, debounce, error_alert, post, file_picker, send_and_open } = window.rma_portal_ui;

	// The page's error alert (.cp-errors, from the portal macros).
	function page_errors(root) {
		const box = root && root.querySelector(".cp-errors");
		return error_alert(box, box && box.querySelector(".cp-error-list"));
	}

	// A form that posts its named fields and the chosen files (multipart) to data-endpoint and opens
	// the returned url. Files are checked here for type and size; the server checks them again.
	function upload_form(form) {
		const show_errors = page_errors(form.closest(".cp-page") || document);
		const submit = form.querySelector(".cp-submit");
		const max_files = parseInt(form.dataset.maxFiles || "5", 10);
		const picker = file_picker({
			input: form.querySelector(".cp-files"),
			label: form.querySelector(".custom-file-label"),
			list: form.querySelector(".cp-file-list"),
			extensions: (form.dataset.extensions || "").split(","),
			max_bytes: parseInt(form.dataset.maxFileBytes || "0", 10),
			prefix: "cp",
		});

		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			const errors = picker.errors(max_files, t("Attachments: at most {0} files at a time.", [max_files]));
			show_errors(errors);
			if (errors.length) return;
			const data = new FormData();
			Array.from(form.elements).forEach((field) => {
				if (field.name && field.type !== "file" && !field.disabled) data.append(field.name, field.value.trim());
			});
			picker.append_to(data);
			await send_and_open(API + form.dataset.endpoint, data, submit, show_errors, {
				failed: t("It could not be sent. Please try again."),
				offline: t("It could not be sent. Please check your connection and try again."),
			});
		});
		form.dataset.ready = "1"; // listeners bound: files chosen from now on are listed and sent
	}

	// The project's tasks as a read-only frappe-gantt chart (the library Frappe ships, loaded by the
	// page). Dragging a bar or its handles would only move it on screen: the press that starts a drag
	// is stopped before the chart sees it, so a click still opens a bar's popup.
	function gantt(container) {
		if (!container || typeof window.Gantt !== "function") return null;
		const config = JSON.parse(document.getElementById("cp-gantt-data").textContent);
		const month_languages = ["en", "es", "ru", "ptBr", "fr", "tr", "zh", "de", "hu"];
		const popup = (task) =>
			el("div", { class: "details-container" }, [
				el("h5", { text: task.title }),
				el("p", { text: t("{0} to {1}", [task.start_display, task.end_display]) }),
				el("p", { text: t("{0}% done", [task.progress]) }),
			]).outerHTML;
		const chart = new window.Gantt(container, config.tasks, {
			view_mode: config.view_mode || "Week",
			language: month_languages.includes(config.language) ? config.language : "en",
			custom_popup_html: popup,
			on_click: () => {},
			on_date_change: () => {},
			on_progress_change: () => {},
		});
		// frappe-gantt 0.6 makes its drawing 100px taller than its rows: fit it to the grid
		const fit = () => {
			const svg = container.querySelector("svg");
			const grid = svg && svg.querySelector(".grid-background");
			if (grid) svg.setAttribute("height", grid.getAttribute("height"));
		};
		fit();
		["mousedown", "touchstart"].forEach((type) =>
			container.addEventListener(type, (e) => e.stopPropagation(), true)
		);
		document.querySelectorAll(".cp-gantt-modes [data-mode]").forEach((button) => {
			button.addEventListener("click", () => {
				chart.change_view_mode(button.dataset.mode);
				fit();
				document.querySelectorAll(".cp-gantt-modes [data-mode]").forEach((b) => b.classList.toggle("active", b === button));
			});
		});
		return chart;
	}

	// The quote request form: items found by code, name or EAN are added as lines with a quantity;
	// the request is sent once (the form's request key makes a second send return the first record).
	function quote_form(form) {
		if (!form) return;
		const root = form.closest(".cp-page");
		const show_errors = page_errors(root);
		const search = form.querySelector(".cp-item-search");
		const results = form.querySelector(".cp-item-results");
		const body = form.querySelector(".cp-lines tbody");
		const no_lines = form.querySelector(".cp-no-lines");
		const delivery = form.querySelector("#cp-delivery");
		const address_group = form.querySelector(".cp-address-group");
		const submit = form.querySelector(".cp-submit");
		const max_lines = parseInt(form.dataset.maxLines || "50", 10);
		const lines = [];

		function render_lines() {
			body.textContent = "";
			lines.forEach((line, index) => {
				const qty = el("input", {
					type: "number",
					min: "0",
					step: "any",
					class: "form-control form-control-sm text-right ml-auto cp-line-qty",
					value: String(line.qty),
					"aria-label": line.item_code,
				});
				qty.addEventListener("input", () => (line.qty = qty.value));
				const remove = el("button", {
					type: "button",
					class: "btn btn-link btn-sm text-danger p-0",
					text: t("Remove"),
					"aria-label": t("Remove {0}", [line.item_code]),
				});
				remove.addEventListener("click", () => {
					lines.splice(index, 1);
					render_lines();
				});
				body.appendChild(
					el("tr", { class: "cp-line", "data-item": line.item_code }, [
						el("td", {}, [
							el("div", { class: "font-weight-bold", text: line.item_code }),
							el("div", { class: "small text-muted", text: line.item_name || "" }),
						]),
						el("td", { class: "text-right" }, [qty]),
						el("td", { class: "text-right" }, [remove]),
					])
				);
			});
			no_lines.classList.toggle("d-none", lines.length > 0);
		}

		function add(item) {
			const found = lines.find((line) => line.item_code === item.item_code);
			if (found) found.qty = (parseFloat(found.qty) || 0) + 1;
			else if (lines.length < max_lines) lines.push({ item_code: item.item_code, item_name: item.item_name, qty: 1 });
			results.textContent = "";
			search.value = "";
			render_lines();
			const qty = body.querySelector(`tr[data-item="${CSS.escape(item.item_code)}"] .cp-line-qty`);
			if (qty) qty.focus();
		}

		const find = debounce(async () => {
			const text = search.value.trim();
			results.textContent = "";
			if (text.length < 2) return;
			try {
				const response = await fetch(
					API + "rma_portal.api.quote_requests.search_items?text=" + encodeURIComponent(text),
					{ headers: { Accept: "application/json" } }
				);
				const data = await response.json();
				if (search.value.trim() !== text) return; // a newer search is on its way
				const items = (data && data.message) || [];
				if (!items.length) results.appendChild(el("div", { class: "list-group-item small text-muted", text: t("No item found.") }));
				items.forEach((item) => {
					const option = el("button", { type: "button", class: "list-group-item list-group-item-action py-1 cp-item-option", role: "option" }, [
						el("span", { class: "font-weight-bold", text: item.item_code }),
						" ",
						el("span", { text: item.item_name || "" }),
						item.barcode ? el("span", { class: "small text-muted ml-2", text: t("EAN {0}", [item.barcode]) }) : null,
					]);
					option.addEventListener("click", () => add(item));
					results.appendChild(option);
				});
			} catch (e) {
				results.textContent = "";
			}
		}, 250);
		search.addEventListener("input", find);
		search.addEventListener("keydown", (event) => {
			if (event.key !== "Enter") return;
			event.preventDefault(); // Enter picks the first item found (a scanner ends an EAN with Enter)
			const first = results.querySelector(".cp-item-option");
			if (first) first.click();
		});

		function toggle_address() {
			address_group.classList.toggle("d-none", delivery.value !== "Delivery");
		}
		delivery.addEventListener("change", toggle_address);
		toggle_address();
		render_lines();

		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			const errors = [];
			if (!lines.length) errors.push(t("Items: please add at least one item."));
			lines.forEach((line, i) => {
				if (!(parseFloat(line.qty) > 0)) errors.push(t("Line {0}: the quantity must be a number above 0.", [i + 1]));
			});
			if (delivery.value === "Delivery" && !form.elements.address.value)
				errors.push(t("Delivery address: please choose one of your addresses."));
			show_errors(errors);
			if (errors.length) return;
			const data = new FormData();
			data.append("request_key", form.elements.request_key.value);
			data.append("lines", JSON.stringify(lines.map((l) => ({ item_code: l.item_code, qty: String(l.qty) }))));
			data.append("delivery_option", delivery.value);
			if (delivery.value === "Delivery") data.append("address", form.elements.address.value);
			data.append("remarks", form.elements.remarks.value.trim());
			submit.disabled = true;
			const text = submit.textContent;
			submit.textContent = t("Sending...");
			try {
				const { response, body: answer } = await post(API + "rma_portal.api.quote_requests.send_request", data);
				if (response.ok && answer.message && answer.message.url) {
					window.location.href = answer.message.url;
					return;
				}
				const messages = server_messages(answer, response);
				show_errors(messages.length ? messages : [t("It could not be sent. Please try again.")]);
			} catch (e) {
				show_errors([t("It could not be sent. Please check your connection and try again.")]);
			}
			submit.disabled = false;
			submit.textContent = text;
		});
	}

	window.rma_portal_pages = { upload_form, gantt, quote_form };
})();
