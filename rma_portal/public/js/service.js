// rma_portal: service request pages (/service and /service/new). Plain JS on Frappe's web bundle.
// The DOM is built with textContent, never innerHTML from data, so nothing a user typed runs.
(function () {
	"use strict";

	const API = "/api/method/rma_portal.api.service.";
	// A 30-row import is done in about a second: ask often at first (a status read is a cache hit),
	// then less and less often.
	const POLL_FAST_MS = 200;
	const POLL_FAST_FOR_MS = 3000;
	const POLL_MAX_MS = 1000;
	const { el, fmt, format_date, server_messages } = window.rma_portal_ui;

	async function call(method, args, options) {
		options = options || {};
		const headers = { Accept: "application/json", "X-Frappe-CSRF-Token": (window.frappe && frappe.csrf_token) || "" };
		let response;
		if (options.form) {
			response = await fetch(API + method, { method: "POST", headers, body: options.form, credentials: "same-origin" });
		} else {
			const query = new URLSearchParams(args || {});
			response = await fetch(API + method + "?" + query.toString(), { headers, credentials: "same-origin" });
		}
		let data = {};
		try {
			data = await response.json();
		} catch (e) {
			data = {};
		}
		if (!response.ok) {
			const messages = server_messages(data, response);
			const error = new Error(
				messages[0] ||
					window.rma_portal_ui.translate("The server could not handle the request (error {0}). Please try again.", [
						response.status,
					])
			);
			error.messages = messages.length ? messages : [error.message];
			throw error;
		}
		return data.message;
	}

	function show(node, visible) {
		node.classList.toggle("d-none", !visible);
	}

	function date_text(value) {
		const holder = document.querySelector("[data-date-format]");
		return format_date(value ? String(value).slice(0, 10) : "", holder && holder.dataset.dateFormat);
	}

	// ------------------------------------------------------------------------------------------
	// Landing page

	function setup_home(root) {
		const texts = root.dataset;

		function result_box(form) {
			const box = form.querySelector(".svc-result");
			box.textContent = "";
			return box;
		}

		function fail(box, error) {
			box.appendChild(el("div", { class: "text-danger", text: (error.messages || [error.message]).join(" ") }));
		}

		// the three look-ups' frame: the typed value (at least min_length characters), the form's result
		// box emptied, a refusal shown in it
		function on_lookup(selector, min_length, show) {
			root.querySelector(selector).addEventListener("submit", async (event) => {
				event.preventDefault();
				const form = event.currentTarget;
				const value = form.querySelector("input").value.trim();
				const box = result_box(form);
				if (value.length < min_length) return;
				try {
					await show(value, box);
				} catch (error) {
					fail(box, error);
				}
			});
		}

		on_lookup(".svc-serial", 1, async (value, box) => {
			const r = await call("lookup_serial", { serial_no: value });
			if (r.found) {
				box.appendChild(el("div", { class: "text-success font-weight-bold", text: texts.serialFound }));
				box.appendChild(el("div", { text: `${r.item_code} — ${r.item_name || ""}` }));
				if (r.warranty_end)
					box.appendChild(
						el("div", {
							class: r.in_warranty ? "text-success" : "text-danger",
							text: fmt(r.in_warranty ? texts.inWarranty : texts.outWarranty, [date_text(r.warranty_end), date_text(r.last_purchase)]),
						})
					);
			} else {
				box.appendChild(el("div", { class: "text-muted", text: texts.serialNotFound }));
			}
			(r.requests || []).forEach((req) =>
				box.appendChild(el("div", {}, [texts.earlierRequest + " ", el("a", { href: req.url, text: req.name }), ` (${req.status})`]))
			);
		});

		on_lookup(".svc-search", 2, async (value, box) => {
			const rows = await call("search", { text: value });
			if (!rows.length) {
				box.appendChild(el("div", { class: "text-muted", text: texts.nothingFound }));
				box.appendChild(el("div", { class: "text-muted svc-search-depth", text: texts.searchDepth }));
			}
			const list = el("ul", { class: "list-unstyled mb-0" });
			rows.forEach((row) => {
				const extra = [row.customer_rma_no, row.serials].filter(Boolean).join(" · ");
				list.appendChild(
					el("li", { class: "mb-1" }, [
						el("a", { href: row.url, text: row.name }),
						` — ${row.status}`,
						extra ? el("div", { class: "text-muted", text: extra }) : null,
					])
				);
			});
			box.appendChild(list);
		});

		on_lookup(".svc-warranty", 1, async (value, box) => {
			const r = await call("check_ean", { ean: value });
			if (!r.valid) box.appendChild(el("div", { class: "text-danger", text: texts.invalidEan }));
			else if (!r.known || !r.purchased) box.appendChild(el("div", { class: "text-danger", text: texts.notBought }));
			else {
				box.appendChild(el("div", { class: "font-weight-bold", text: `${r.item_code} — ${r.item_name || ""}` }));
				if (r.warranty_end)
					box.appendChild(
						el("div", {
							class: r.in_warranty ? "text-success svc-in-warranty" : "text-danger svc-out-warranty",
							text: fmt(r.in_warranty ? texts.inWarranty : texts.outWarranty, [date_text(r.warranty_end), date_text(r.last_purchase)]),
						})
					);
				else box.appendChild(el("div", { class: "text-danger", text: texts.noPeriod }));
			}
		});

		const importForm = root.querySelector(".svc-import-form");
		if (importForm) setup_import(root, importForm, texts);
	}

	function setup_import(root, form, texts) {
		const errorsBox = root.querySelector(".svc-import-errors");
		const createdBox = root.querySelector(".svc-import-created");
		const progress = root.querySelector(".svc-import-progress");
		const bar = progress.querySelector(".progress-bar");
		const submit = form.querySelector(".svc-import-submit");

		function set_progress(percent, label) {
			show(progress, true);
			bar.style.width = `${percent}%`;
			bar.setAttribute("aria-valuenow", percent);
			bar.textContent = label || `${percent}%`;
		}

		function show_errors(errors) {
			const body = errorsBox.querySelector("tbody");
			body.textContent = "";
			errors.forEach((e) => {
				body.appendChild(
					el("tr", { class: "svc-error-row", "data-row": e.row || "" }, [
						el("td", { class: "text-nowrap", text: e.row ? String(e.row) : "—" }),
						el("td", { class: "text-nowrap", text: e.column ? texts["col_" + e.column] || e.column : "—" }),
						// row and column have their own cells: the problem cell says only what is wrong
						el("td", { text: e.row && e.reason ? e.reason : e.message }),
					])
				);
			});
			show(errorsBox, true);
			errorsBox.focus();
		}

		function show_created(created) {
			const list = createdBox.querySelector(".svc-created-list");
			list.textContent = "";
			createdBox.querySelector(".svc-import-created-title").textContent = fmt(texts.created, [created.length]);
			created.forEach((c) => {
				const rows = (c.rows || []).join(", ");
				list.appendChild(
					el("li", {}, [
						el("a", { href: c.url, text: c.name, class: "svc-created-link" }),
						c.customer_rma_no ? ` (${c.customer_rma_no})` : "",
						el("span", { class: "text-muted", text: " — " + fmt(texts.rows, [rows]) }),
					])
				);
			});
			show(createdBox, true);
		}

		async function poll(token) {
			const started = Date.now();
			let wait = POLL_FAST_MS;
			for (;;) {
				if (Date.now() - started > POLL_FAST_FOR_MS) wait = Math.min(Math.round(wait * 1.5), POLL_MAX_MS);
				await new Promise((resolve) => setTimeout(resolve, wait));
				let state;
				try {
					state = await call("import_status", { token });
				} catch (error) {
					show_errors([{ message: error.message }]);
					return;
				}
				set_progress(state.percent || 0, state.total ? `${state.done || 0} / ${state.total}` : null);
				if (state.status === "done") {
					if (state.ok) show_created(state.created || []);
					else show_errors(state.errors || []);
					return;
				}
				if (state.status === "failed") {
					show_errors([{ message: texts.importFailed }]);
					return;
				}
			}
		}

		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			show(errorsBox, false);
			show(createdBox, false);
			show(progress, false);
			const data = new FormData(form);
			const file = form.querySelector(".svc-import-file").files[0];
			if (!file) data.delete("csv");
			const proof = form.querySelector(".svc-import-proof").files[0];
			if (!proof) data.delete("proof_of_purchase");
			submit.disabled = true;
			set_progress(5, texts.checking);
			try {
				const r = await call("import_csv", null, { form: data });
				if (!r.ok) {
					show(progress, false);
					show_errors(r.errors || []);
				} else if (r.queued) {
					set_progress(10, texts.queued);
					await poll(r.token);
				} else {
					set_progress(100, "100%");
					show_created(r.created || []);
				}
			} catch (error) {
				show(progress, false);
				show_errors((error.messages || [error.message]).map((m) => ({ message: m })));
			} finally {
				submit.disabled = false;
			}
		});
	}

	// ------------------------------------------------------------------------------------------
	// New request

	function setup_new(root) {
		const config = JSON.parse(root.querySelector("#svc-config").textContent || "{}");
		const texts = root.querySelector(".svc-texts").dataset;
		const template = root.querySelector("#svc-line-template");
		const linesBox = root.querySelector(".svc-lines");
		const errorsBox = root.querySelector(".svc-errors");
		const form = root.querySelector(".svc-form");
		const submit = root.querySelector(".svc-submit");
		const typeSelect = root.querySelector(".svc-rma-type");

		function renumber() {
			const lines = linesBox.querySelectorAll(".svc-line");
			lines.forEach((line, i) => {
				line.querySelector(".svc-line-no").textContent = String(i + 1);
				line.querySelector(".svc-remove-line").classList.toggle("invisible", lines.length === 1);
			});
			root.querySelector(".svc-add-line").disabled = lines.length >= (config.max_lines || 30);
		}

		async function load_product(line) {
			const ean = line.querySelector(".svc-ean").value.replace(/\s+/g, "");
			const info = line.querySelector(".svc-product-info");
			const faultGroup = line.querySelector(".svc-fault-group");
			const fault = line.querySelector(".svc-fault");
			if (line.dataset.ean === ean) return;
			line.dataset.ean = ean;
			info.textContent = "";
			show(faultGroup, false);
			line.querySelector(".svc-serial-star").classList.add("d-none");
			if (!ean) return;
			let r;
			try {
				r = await call("check_ean", { ean });
			} catch (error) {
				info.appendChild(el("span", { class: "text-danger", text: error.message }));
				return;
			}
			if (line.dataset.ean !== ean) return; // typed on meanwhile
			if (!r.valid) {
				info.appendChild(el("span", { class: "text-danger", text: texts.invalid }));
				return;
			}
			if (!r.known || !r.purchased) {
				info.appendChild(el("span", { class: "text-danger", text: texts.unknown }));
				return;
			}
			info.appendChild(el("strong", { class: "svc-item-name", text: `${r.item_code} — ${r.item_name || ""}` }));
			if (r.warranty_end) {
				info.appendChild(
					el("span", {
						class: r.in_warranty ? "text-success ml-2" : "text-danger ml-2",
						text: fmt(r.in_warranty ? texts.inWarranty : texts.outWarranty, [date_text(r.warranty_end), date_text(r.last_purchase)]),
					})
				);
			}
			if (r.serial_required) {
				line.querySelector(".svc-serial-star").classList.remove("d-none");
				info.appendChild(el("span", { class: "text-muted ml-2", text: texts.serialRequired }));
			}
			const previous = fault.value;
			fault.textContent = "";
			if ((r.fault_types || []).length) {
				fault.appendChild(el("option", { value: "", text: texts.chooseFault }));
				const labels = r.fault_type_labels || {};
				r.fault_types.forEach((name) => fault.appendChild(el("option", { value: name, text: labels[name] || name })));
				if (r.fault_types.includes(previous)) fault.value = previous;
				show(faultGroup, true);
			}
		}

		function add_line() {
			const line = template.content.firstElementChild.cloneNode(true);
			const ean = line.querySelector(".svc-ean");
			ean.addEventListener("change", () => load_product(line));
			ean.addEventListener("blur", () => load_product(line));
			ean.addEventListener("keydown", (event) => {
				if (event.key === "Enter") {
					event.preventDefault();
					load_product(line);
				}
			});
			line.querySelector(".svc-remove-line").addEventListener("click", () => {
				line.remove();
				renumber();
			});
			linesBox.appendChild(line);
			renumber();
			return line;
		}

		function update_type_hint() {
			const type = config.types[typeSelect.value];
			const hint = root.querySelector(".svc-type-hint");
			const parts = [];
			if (type) {
				if (type.brand) parts.push(fmt(texts.brandOnly, [type.brand]));
				parts.push(type.proof ? texts.proofRequired : texts.proofOptional);
			}
			hint.textContent = parts.join(" ");
			root.querySelector(".svc-proof-star").classList.toggle("d-none", !!type && !type.proof);
		}

		function clear_marks() {
			root.querySelectorAll(".is-invalid").forEach((node) => node.classList.remove("is-invalid"));
		}

		function show_errors(errors) {
			const list = errorsBox.querySelector(".svc-error-list");
			list.textContent = "";
			clear_marks();
			const lines = linesBox.querySelectorAll(".svc-line");
			errors.forEach((e) => {
				list.appendChild(el("li", { text: e.message }));
				let scope = root;
				if (e.line && lines[e.line - 1]) scope = lines[e.line - 1];
				const field = e.field && scope.querySelector(`[data-field="${e.field}"]`);
				if (field) field.classList.add("is-invalid");
			});
			show(errorsBox, true);
			errorsBox.scrollIntoView({ behavior: "smooth", block: "start" });
			errorsBox.focus({ preventScroll: true });
		}

		function collect() {
			const header = {};
			["rma_type", "customer_rma_no", "tracking_no", "package_contents", "return_address_customer"].forEach((field) => {
				const node = form.querySelector(`[data-field="${field}"]`);
				if (node && !node.closest(".svc-line")) header[field] = node.value.trim();
			});
			const lines = Array.from(linesBox.querySelectorAll(".svc-line")).map((line) => {
				const value = (selector) => line.querySelector(selector).value.trim();
				const faultVisible = !line.querySelector(".svc-fault-group").classList.contains("d-none");
				return {
					ean: value(".svc-ean"),
					qty: value(".svc-qty"),
					serial_no: value(".svc-serial"),
					purchase_date: value(".svc-date"),
					problem_description: value(".svc-problem"),
					service_expectation: value(".svc-expectation"),
					fault_type: faultVisible ? value(".svc-fault") : "",
				};
			});
			return { header, lines };
		}

		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			const { header, lines } = collect();
			const data = new FormData();
			data.append("header", JSON.stringify(header));
			data.append("lines", JSON.stringify(lines));
			const tooLarge = [];
			const add_files = (input, field) =>
				Array.from(input.files || []).forEach((file) => {
					if (file.size > config.max_bytes) tooLarge.push({ field: "attachments", message: fmt(texts.tooLarge, [file.name, Math.round(config.max_bytes / 1048576)]) });
					else data.append(field, file, file.name);
				});
			add_files(root.querySelector(".svc-proof"), "proof_of_purchase");
			add_files(root.querySelector(".svc-photos"), "photo");
			if (tooLarge.length) {
				show_errors(tooLarge);
				return;
			}
			submit.disabled = true;
			const label = submit.textContent;
			submit.textContent = texts.sending;
			try {
				const r = await call("submit_request", null, { form: data });
				if (r.ok) {
					window.location.href = r.url;
					return;
				}
				show_errors(r.errors || []);
			} catch (error) {
				show_errors((error.messages || [texts.failed]).map((m) => ({ message: m })));
			} finally {
				submit.disabled = false;
				submit.textContent = label;
			}
		});

		root.querySelector(".svc-add-line").addEventListener("click", () => add_line().querySelector(".svc-ean").focus());
		typeSelect.addEventListener("change", update_type_hint);
		add_line();
		update_type_hint();
	}

	function start() {
		const home = document.getElementById("svc-home");
		if (home) setup_home(home);
		const form = document.getElementById("svc-new");
		if (form) setup_new(form);
	}

	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
	else start();
})();
