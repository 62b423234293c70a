// rma_portal: the "new return" page (/rma/new). Plain JS on top of Frappe's web bundle.
// The DOM is built with textContent, never innerHTML from data, so nothing a user typed runs.
(function () {
	"use strict";

	const API = "/api/method/rma_portal.api.returns.";
	const DEBOUNCE_MS = 350;
	const { el, debounce, server_messages } = window.rma_portal_ui;
	// Frappe's __() on the website; the page puts its translations in frappe._messages.
	const __ = window.rma_portal_ui.translate;

	function qty(value) {
		const n = Number(value || 0);
		return Number.isInteger(n) ? String(n) : String(+n.toFixed(6));
	}

	async function call(method, args, http_method) {
		const headers = { Accept: "application/json", "X-Frappe-CSRF-Token": frappe.csrf_token || "" };
		let response;
		if (http_method === "POST") {
			headers["Content-Type"] = "application/json";
			response = await fetch(API + method, { method: "POST", headers, body: JSON.stringify(args || {}) });
		} else {
			const query = new URLSearchParams();
			Object.entries(args || {}).forEach(([k, v]) => {
				if (v !== undefined && v !== null) query.set(k, typeof v === "object" ? JSON.stringify(v) : v);
			});
			response = await fetch(API + method + "?" + query.toString(), { headers });
		}
		let data = {};
		try {
			data = await response.json();
		} catch (e) {
			data = {};
		}
		if (!response.ok || data.exc_type || data.exc) {
			let messages = server_messages(data, response);
			if (!messages.length) {
				messages = [
					response.status === 403
						? __("You are not allowed to do this. Please log in again.")
						: __("The server could not handle the request (error {0}). Please try again.", [response.status]),
				];
			}
			const error = new Error(messages.join("\n"));
			error.messages = messages;
			error.status = response.status;
			throw error;
		}
		return data.message;
	}

	function new_return(root) {
		if (!root) return;
		const config = JSON.parse(root.querySelector("#rma-new-config").textContent);
		const $ = (selector) => root.querySelector(selector);
		const state = {
			filters: {},
			page: 1,
			total: 0,
			rows: [],
			selected: new Map(), // delivery_note_item -> candidate row (kept across pages and searches)
			request_no: 0,
			fee_request_no: 0,
			sending: false,
		};
		const body = $(".rma-candidates-body");
		const colspan = config.columns.length + 1;

		function message_row(text, css) {
			body.replaceChildren(
				el("tr", { class: css || "" }, [
					el("td", { colspan: String(colspan), class: "text-center text-muted py-4", text }),
				])
			);
		}

		async function load() {
			const request_no = ++state.request_no;
			root.classList.add("rma-busy");
			try {
				const result = await call("get_candidates", { filters: state.filters, page: state.page }, "GET");
				if (request_no !== state.request_no) return; // a newer search is on its way
				state.rows = result.rows || [];
				state.total = result.total || 0;
				state.more = !!result.more; // a search with more matches than counted
				render_rows();
			} catch (error) {
				if (request_no !== state.request_no) return;
				message_row(error.messages ? error.messages.join(" ") : String(error), "rma-load-error text-danger");
			} finally {
				if (request_no === state.request_no) root.classList.remove("rma-busy");
			}
		}

		function cell_text(row, col) {
			if (col.key === "rate") return row.rate_display || String(row.rate ?? "");
			if (col.key === "delivery_date") return row.delivery_date_display || row.delivery_date || "";
			if (col.number) return qty(row[col.key]);
			return row[col.key] == null ? "" : String(row[col.key]);
		}

		function render_rows() {
			if (!state.rows.length) {
				message_row(
					Object.keys(state.filters).length
						? __("No delivered line matches your search.")
						: __("No delivered lines in your order history can be returned."),
					"rma-no-rows"
				);
			} else {
				body.replaceChildren(
					...state.rows.map((row) => {
						const returnable = Number(row.qty_returnable || 0) > 0;
						const box = el("input", {
							type: "checkbox",
							class: "rma-check",
							"aria-label": __("Select {0}", [row.item_code]),
							checked: state.selected.has(row.delivery_note_item),
							disabled: !returnable,
							title: returnable ? null : __("Nothing left to return on this line"),
						});
						box.addEventListener("change", () => {
							toggle(row, box.checked);
							tr.classList.toggle("table-active", box.checked);
						});
						const tr = el(
							"tr",
							{
								class:
									(returnable ? "" : "text-muted rma-not-returnable ") +
									(state.selected.has(row.delivery_note_item) ? "table-active" : ""),
								"data-line": row.delivery_note_item,
							},
							[
								el("td", { class: "rma-check-col" }, [box]),
								...config.columns.map((col) =>
									el("td", {
										class:
											(col.number ? "text-right " : "") +
											"rma-col-" +
											col.key +
											(col.wide_only ? " rma-wide-only" : ""),
										"data-key": col.key,
										text: cell_text(row, col),
									})
								),
							]
						);
						tr.addEventListener("click", (event) => {
							if (event.target === box || box.disabled) return;
							if (window.getSelection && String(window.getSelection())) return; // copying text
							box.checked = !box.checked;
							box.dispatchEvent(new Event("change"));
						});
						return tr;
					})
				);
			}
			const pages = Math.max(1, Math.ceil(state.total / config.page_size));
			const last = state.page >= pages && !state.more;
			$(".rma-page-label").textContent = __("Page {0} of {1}", [state.page, state.more ? pages + "+" : pages]);
			$(".rma-prev").parentElement.classList.toggle("disabled", state.page <= 1);
			$(".rma-prev").disabled = state.page <= 1;
			$(".rma-next").parentElement.classList.toggle("disabled", last);
			$(".rma-next").disabled = last;
			$(".rma-total").textContent = state.more
				? __("More than {0} lines: narrow the search", [state.total])
				: __("{0} lines", [state.total]);
			update_selection();
		}

		function toggle(row, on) {
			if (on) state.selected.set(row.delivery_note_item, Object.assign({}, row));
			else state.selected.delete(row.delivery_note_item);
			update_selection();
		}

		function update_selection() {
			const n = state.selected.size;
			$(".rma-selected-count").textContent = n === 1 ? __("1 line selected") : __("{0} lines selected", [n]);
			$(".rma-create").disabled = n === 0;
			$(".rma-clear-selection").classList.toggle("d-none", n === 0);
			const boxes = Array.from(body.querySelectorAll(".rma-check:not(:disabled)"));
			const page_box = $(".rma-check-page");
			page_box.checked = boxes.length > 0 && boxes.every((b) => b.checked);
			page_box.indeterminate = !page_box.checked && boxes.some((b) => b.checked);
		}

		const reload_filtered = debounce(() => {
			state.page = 1;
			load();
		}, DEBOUNCE_MS);

		root.querySelectorAll(".rma-filter").forEach((input) => {
			input.addEventListener("input", () => {
				const value = input.value.trim();
				if (value) state.filters[input.dataset.key] = value;
				else delete state.filters[input.dataset.key];
				reload_filtered();
			});
		});
		$(".rma-prev").addEventListener("click", () => {
			if (state.page > 1) {
				state.page -= 1;
				load();
			}
		});
		$(".rma-next").addEventListener("click", () => {
			state.page += 1;
			load();
		});
		$(".rma-check-page").addEventListener("change", (event) => {
			const on = event.target.checked;
			state.rows.forEach((row) => {
				if (Number(row.qty_returnable || 0) > 0) toggle(row, on);
			});
			render_rows();
		});
		$(".rma-clear-selection").addEventListener("click", () => {
			state.selected.clear();
			render_rows();
		});

		// ---- Step 2: confirmation ------------------------------------------------------------
		const confirm_body = $(".rma-confirm-body");
		const reason_all = $(".rma-reason-all");

		function reason_select(value) {
			const select = el("select", { class: "form-control form-control-sm rma-line-reason" }, [
				el("option", { value: "", text: __("Select...") }),
				...config.reasons.map((r) => el("option", { value: r.value, text: r.label })),
			]);
			select.value = value || "";
			return select;
		}

		// Serial-numbered lines are returned by serial, batch lines by batch: the units still
		// returnable on each picked line (get_line_serials), asked once per line.
		state.choices = {};

		async function load_choices() {
			const missing = Array.from(state.selected.keys()).filter((line) => !(line in state.choices));
			if (!missing.length) return;
			const found = await call("get_line_serials", { lines: missing });
			missing.forEach((line) => {
				state.choices[line] = (found || {})[line] || null;
			});
		}

		function serial_picker(row, choice, input) {
			row.serial_nos = row.serial_nos || [];
			const sync = () => {
				row.qty_to_return = row.serial_nos.length;
				input.value = qty(row.qty_to_return);
			};
			const boxes = choice.serials.map((serial) => {
				const box = el("input", {
					type: "checkbox",
					class: "form-check-input rma-serial",
					value: serial,
					"aria-label": __("Serial No {0}", [serial]),
				});
				box.checked = row.serial_nos.includes(serial);
				box.addEventListener("change", () => {
					row.serial_nos = choice.serials.filter((s) => s === serial ? box.checked : row.serial_nos.includes(s));
					sync();
				});
				return el("label", { class: "form-check form-check-inline small mb-0 rma-serial-choice" }, [
					box,
					el("span", { class: "form-check-label", text: serial }),
				]);
			});
			input.readOnly = true;
			sync();
			// or type it, as read on the unit: it must be one of the serials offered
			const typed = el("input", {
				type: "text",
				class: "form-control form-control-sm rma-serial-typed mt-1",
				placeholder: __("Type a serial number"),
				"aria-label": __("Type a serial number"),
			});
			const typed_note = el("div", { class: "small text-danger rma-serial-typed-error" });
			typed.addEventListener("keydown", (event) => {
				if (event.key !== "Enter") return;
				event.preventDefault();
				const value = typed.value.trim();
				const box = boxes.map((label) => label.querySelector("input")).find((b) => b.value === value);
				typed_note.textContent = box
					? ""
					: __("{0} is not among the serial numbers delivered to you on this line that can still be returned.", [value]);
				if (box && !box.checked) {
					box.checked = true;
					box.dispatchEvent(new Event("change"));
				}
				if (box) typed.value = "";
			});
			return el("div", { class: "rma-serials mt-1" }, [
				el("div", { class: "small text-muted", text: __("Tick the serial number of each unit you return:") }),
				...boxes,
				typed,
				typed_note,
			]);
		}

		function batch_picker(row, choice) {
			if (choice.batches.length === 1) row.batch_no = choice.batches[0].batch_no;
			const select = el("select", { class: "form-control form-control-sm rma-batch", "aria-label": __("Batch No") }, [
				el("option", { value: "", text: __("Select...") }),
				...choice.batches.map((b) => el("option", { value: b.batch_no, text: __("Batch {0} ({1})", [b.batch_no, qty(b.qty)]) })),
			]);
			select.value = row.batch_no || "";
			select.addEventListener("change", () => {
				row.batch_no = select.value;
			});
			return el("div", { class: "rma-batches mt-1" }, [select]);
		}

		function unit_picker(row, input) {
			const choice = state.choices[row.delivery_note_item];
			if (choice && choice.serials.length) return serial_picker(row, choice, input);
			if (choice && choice.batches.length) return batch_picker(row, choice);
			return null;
		}

		function render_confirm() {
			confirm_body.replaceChildren(
				...Array.from(state.selected.values()).map((row) => {
					const max = Number(row.qty_returnable || 0);
					if (row.qty_to_return === undefined) row.qty_to_return = max;
					const input = el("input", {
						type: "number",
						class: "form-control form-control-sm rma-line-qty",
						min: "1",
						max: String(max),
						step: "1",
						value: qty(row.qty_to_return),
						"aria-label": __("Quantity to return of {0}", [row.item_code]),
						required: true,
					});
					input.addEventListener("input", () => {
						row.qty_to_return = input.value === "" ? "" : Number(input.value);
						refresh_fee();
					});
					const select = reason_select(row.return_reason || reason_all.value);
					select.addEventListener("change", () => {
						row.return_reason = select.value;
						refresh_fee();
					});
					const remove = el("button", {
						type: "button",
						class: "btn btn-link btn-sm text-danger rma-remove-line",
						title: __("Remove this line"),
						"aria-label": __("Remove {0}", [row.item_code]),
						text: "\u00d7",
					});
					remove.addEventListener("click", () => {
						state.selected.delete(row.delivery_note_item);
						if (!state.selected.size) show_step("pick");
						else render_confirm();
					});
					const td = (label, attrs, children) => el("td", Object.assign({ "data-label": label }, attrs), children);
					return el("tr", { "data-line": row.delivery_note_item }, [
						td(__("Qty to return"), { class: "rma-qty-col" }, [input]),
						td(__("Item Code"), { class: "text-nowrap" }, [
							el("span", { text: row.item_code || "" }),
							row.customer_item_code
								? el("div", { class: "small text-muted", text: row.customer_item_code })
								: null,
						]),
						td(__("Item Name"), {}, [el("span", { text: row.item_name || "" }), unit_picker(row, input)]),
						td(__("Sales Order"), { class: "text-nowrap", text: row.sales_order || "" }),
						td(__("Your PO No."), { class: "text-nowrap", text: row.po_no || "" }),
						td(__("Delivery Date"), {
							class: "text-nowrap",
							text: row.delivery_date_display || row.delivery_date || "",
						}),
						td(__("Returnable"), { class: "text-right", text: qty(max) }),
						td(__("Return reason"), { class: "rma-reason-col" }, [select]),
						td(__("Return fee"), { class: "text-right text-nowrap rma-line-fee" }),
						td("", { class: "text-right rma-remove-col" }, [remove]),
					]);
				})
			);
			refresh_fee();
		}

		// The fee preview: what sending would freeze on the RMA and the credit note charge (the server
		// applies the fee rules; only the newest answer is shown).
		const refresh_fee = debounce(async () => {
			const number = ++state.fee_request_no;
			const lines = Array.from(state.selected.values()).map((row) => ({
				delivery_note_item: row.delivery_note_item,
				qty: Number(row.qty_to_return) || 0,
				return_reason: row.return_reason || reason_all.value || null,
			}));
			let preview;
			try {
				preview = await call("preview_fee", { lines, return_reason: reason_all.value || null }, "POST");
			} catch (error) {
				return; // the preview is a help; sending reports every problem
			}
			if (number !== state.fee_request_no) return;
			const box = $(".rma-fee");
			box.textContent = preview.text || "";
			box.classList.toggle("d-none", !preview.text);
			confirm_body.querySelectorAll("tr[data-line]").forEach((tr) => {
				tr.querySelector(".rma-line-fee").textContent = preview.lines[tr.dataset.line] || "";
			});
		}, DEBOUNCE_MS);

		reason_all.addEventListener("change", () => {
			state.selected.forEach((row) => {
				row.return_reason = reason_all.value;
			});
			confirm_body.querySelectorAll(".rma-line-reason").forEach((select) => {
				select.value = reason_all.value;
			});
			refresh_fee();
		});

		function show_step(step) {
			hide_errors();
			root.querySelectorAll(".rma-step").forEach((section) => {
				section.classList.toggle("d-none", section.dataset.step !== step);
			});
			if (step === "confirm") {
				render_confirm();
				load_choices()
					.then(render_confirm)
					.catch((error) => show_errors(error.messages || [String(error)]));
			} else render_rows();
			window.scrollTo({ top: 0 });
		}

		function hide_errors() {
			$(".rma-errors").classList.add("d-none");
			$(".rma-error-list").replaceChildren();
		}

		function show_errors(messages) {
			$(".rma-error-list").replaceChildren(...messages.map((m) => el("li", { text: m })));
			const box = $(".rma-errors");
			box.classList.remove("d-none");
			box.focus();
			box.scrollIntoView({ block: "center" });
		}

		function client_errors() {
			const errors = [];
			Array.from(state.selected.values()).forEach((row, i) => {
				const value = Number(row.qty_to_return);
				const max = Number(row.qty_returnable || 0);
				if (row.qty_to_return === "" || !(value >= 1) || value > max) {
					errors.push(
						__("Line {0} ({1}): the quantity must be between 1 and {2}.", [i + 1, row.item_code, qty(max)])
					);
				}
				const choice = state.choices[row.delivery_note_item];
				if (choice && choice.serials.length && !(row.serial_nos || []).length) {
					errors.push(__("Line {0} ({1}): tick the serial number of each unit you return.", [i + 1, row.item_code]));
				}
				if (!(row.return_reason || reason_all.value)) {
					errors.push(__("Line {0} ({1}): choose a return reason.", [i + 1, row.item_code]));
				}
			});
			const email = $(".rma-copy-email").value.trim();
			if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
				errors.push(__("Copy e-mail: {0} is not a valid e-mail address.", [email]));
			}
			if (!$(".rma-terms-accepted").checked) errors.push(__("Please accept the return terms."));
			return errors;
		}

		async function send(event) {
			event.preventDefault();
			if (state.sending) return;
			hide_errors();
			const errors = client_errors();
			if (errors.length) return show_errors(errors);
			const button = $(".rma-send");
			state.sending = true;
			button.disabled = true;
			button.textContent = __("Sending...");
			try {
				const result = await call(
					"submit_return",
					{
						lines: Array.from(state.selected.values()).map((row) => ({
							delivery_note_item: row.delivery_note_item,
							qty: Number(row.qty_to_return),
							return_reason: row.return_reason || reason_all.value,
							serial_nos: (row.serial_nos || []).join("\n") || null,
							batch_no: row.batch_no || null,
						})),
						return_reason: reason_all.value || null,
						customer_reference: $(".rma-reference").value.trim() || null,
						remarks: $(".rma-remarks").value.trim() || null,
						copy_email: $(".rma-copy-email").value.trim() || null,
						terms_accepted: $(".rma-terms-accepted").checked ? 1 : 0,
					},
					"POST"
				);
				window.location.href = result.url + "&sent=1";
			} catch (error) {
				show_errors(error.messages || [String(error)]);
				state.sending = false;
				button.disabled = false;
				button.textContent = __("Send");
			}
		}

		$(".rma-create").addEventListener("click", () => {
			if (state.selected.size) show_step("confirm");
		});
		$(".rma-back").addEventListener("click", () => show_step("pick"));
		$(".rma-confirm-form").addEventListener("submit", send);
		// ticking the box answers the "accept the terms" message at once, not only at the next Send
		$(".rma-terms-accepted").addEventListener("change", (event) => {
			if (!event.target.checked) return;
			const terms_message = __("Please accept the return terms.");
			$(".rma-error-list")
				.querySelectorAll("li")
				.forEach((li) => li.textContent === terms_message && li.remove());
			if (!$(".rma-error-list").children.length) hide_errors();
		});

		load();
	}

	// The RMA page while its documents are being made (a background job): look again every few
	// seconds and reload once the download link is there.
	function watch_documents(root, every_ms, tries) {
		if (!root || !root.querySelector(".rma-documents-pending")) return;
		let left = tries || 45;
		const look = async () => {
			left -= 1;
			try {
				const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
				const html = await response.text();
				if (response.ok && html.includes("rma-documents-link")) return window.location.reload();
			} catch (e) {
				/* offline for a moment: try again */
			}
			if (left > 0) setTimeout(look, every_ms || 4000);
		};
		setTimeout(look, every_ms || 4000);
	}

	window.rma_portal = Object.assign(window.rma_portal || {}, { new_return, watch_documents, call });
})();
