// RMA Receiving: receive a parcel with a keyboard-wedge scanner (codes typed, then Enter).
// Scan the label (the RMA number) -> its lines; scan EANs (and serials) -> lines count up.
// Every scan is checked by the server (api/receiving.py); refusals are shown and beeped.
const API = "rma_portal.api.receiving.";
const CONDITIONS = ["As new", "Opened", "Damaged", "Incomplete"];
// photos as the app takes every upload (domain/uploads.py): JPEG or PNG, at most 10 MB, 10 a line
const PHOTO_TYPES = ["image/jpeg", "image/png"];
const MAX_PHOTO_MB = 10;
const MAX_PHOTOS = 10;
const PARCEL = "parcel"; // the photos of an unmatched parcel

const slip_url = (receipt) =>
	"/api/method/frappe.utils.print_format.download_pdf?" +
	$.param({ doctype: "RMA Receipt", name: receipt, format: "RMA Receiving Slip" });

frappe.pages["rma-receiving"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("RMA Receiving"), single_column: true });
	wrapper.receiving = new RMAReceiving(page);
};

frappe.pages["rma-receiving"].on_page_show = function (wrapper) {
	wrapper.receiving && wrapper.receiving.focus();
};

class RMAReceiving {
	constructor(page) {
		this.page = page;
		this.$body = $(`<div class="rma-receiving" style="max-width: 960px">
			<label for="rma-scan" class="control-label">${__("Scan")}</label>
			<input id="rma-scan" class="form-control input-lg rma-scan" autocomplete="off"
				style="font-size: 1.4em" aria-describedby="rma-scan-hint">
			<p id="rma-scan-hint" class="text-muted small">${__(
				"Scan the parcel label, then each product and its serial number. Ctrl+Enter books the receipt."
			)} ${__("Esc starts a new parcel.")}</p>
			<div class="rma-message alert" role="status" aria-live="assertive" style="display:none"></div>
			<div class="rma-parcel"></div>
			<div class="rma-unmatched-list" style="margin-top: 2em"></div>
			<input type="file" class="rma-photo-input" accept="image/*" capture="environment" multiple hidden>
		</div>`).appendTo(page.body);
		// the device's camera where the browser offers it (capture), else its file chooser
		this.$photo_input = this.$body.find(".rma-photo-input");
		this.$photo_input.on("change", (e) => this.take_photos(e.target.files));
		this.$scan = this.$body.find(".rma-scan");
		this.$scan.on("keydown", (e) => this.on_key(e));
		page.set_primary_action(__("Book receipt"), () => this.book());
		page.set_secondary_action(__("New parcel"), () => this.reset());
		this.reset();
		this.load_unmatched();
	}

	focus() {
		setTimeout(() => this.$scan.trigger("focus"), 50);
	}

	reset() {
		this.rma = null;
		this.data = null;
		this.counts = {};
		this.serials = {};
		this.conditions = {};
		this.photos = {};
		this.awaiting = null;
		this.codes = [];
		this.request_key = frappe.utils.get_random(20);
		this.$body.find(".rma-parcel").empty();
		this.show(__("Scan the parcel label."), "info", false);
		this.page.btn_primary.prop("disabled", true);
		this.focus();
	}

	on_key(e) {
		if (e.key === "Escape") return this.reset();
		if (e.key !== "Enter") return;
		e.preventDefault();
		if (e.ctrlKey) return this.book();
		const code = this.$scan.val().trim();
		this.$scan.val("");
		if (code) this.handle(code);
	}

	async handle(code) {
		this.codes.push(code);
		if (!this.rma || code === this.rma) return this.open(code);
		const r = await this.call("scan", {
			rma: this.rma,
			code,
			counts: this.counts,
			serials: this.serials,
			awaiting: this.awaiting,
		});
		if (!r) return;
		if (r.kind === "serial") {
			this.awaiting = r.row;
		} else {
			this.awaiting = null;
			if (r.kind === "counted") {
				this.counts[r.row] = (this.counts[r.row] || 0) + 1;
				if (r.serial) (this.serials[r.row] = this.serials[r.row] || []).push(r.serial);
			}
		}
		this.show(r.message, r.ok ? "success" : "danger", !r.ok);
		this.render(r.row);
	}

	async open(label) {
		const r = await this.call("open_parcel", { label });
		if (!r) return;
		if (!r.found) return this.unmatched(label, r.reason);
		const same = this.rma === r.rma;
		if (!same) {
			this.counts = {};
			this.serials = {};
			this.conditions = {};
			this.photos = {};
			this.codes = [label];
			this.request_key = frappe.utils.get_random(20);
		}
		this.rma = r.rma;
		this.data = r;
		this.awaiting = null;
		const expected = r.lines.reduce((s, l) => s + Math.max(l.requested - l.received, 0), 0);
		this.show(
			expected
				? __("{0} opened: {1} units expected.", [r.rma, expected])
				: __("{0} is received in full: nothing is expected.", [r.rma]),
			expected ? "info" : "warning",
			!expected
		);
		this.render();
	}

	unmatched(label, reason) {
		this.show(reason + " " + __("Press Enter on the button below to record it as an unmatched parcel."), "danger", true);
		const $p = this.$body.find(".rma-parcel").empty();
		this.rma = null;
		this.photos = {};
		const $btn = $(`<button class="btn btn-default">${__("Record unmatched parcel")}</button>`).appendTo($p);
		$p.append(" ").append(this.photo_button(PARCEL));
		this.bind_photo_buttons($p);
		$btn.on("click", async () => {
			const r = await this.call("record_unmatched", { label, codes: this.codes });
			if (!r) return;
			this.codes = [];
			const added = await this.upload_photos(() => ["add_parcel_photo", { parcel: r.name }]);
			$p.empty().append(
				`<p>${__("Unmatched parcel {0} recorded.", [
					`<a href="/app/rma-unmatched-parcel/${encodeURIComponent(r.name)}">${frappe.utils.escape_html(r.name)}</a>`,
				])} ${added ? __("Photos attached: {0}.", [added]) : ""}</p>`
			);
			this.load_unmatched();
			this.focus();
		});
		setTimeout(() => $btn.trigger("focus"), 100);
	}

	render(highlight) {
		const d = this.data;
		if (!d) return;
		const esc = frappe.utils.escape_html;
		const rows = d.lines
			.map((l) => {
				const counted = this.counts[l.row] || 0;
				const open = Math.max(l.requested - l.received - counted, 0);
				const serials = (this.serials[l.row] || []).concat(l.received_serials || []);
				const options = CONDITIONS.map(
					(c) => `<option value="${c}" ${this.conditions[l.row] === c ? "selected" : ""}>${__(c)}</option>`
				).join("");
				const mark = l.row === highlight ? "background: var(--highlight-color, #fff8dc)" : "";
				const waiting = l.row === this.awaiting ? `<span class="indicator-pill orange">${__("Scan serial")}</span>` : "";
				return `<tr data-row="${esc(l.row)}" style="${mark}">
					<td>${l.idx}</td>
					<td><b>${esc(l.item_code)}</b><br><span class="text-muted">${esc(l.item_name || "")}</span> ${waiting}</td>
					<td class="text-right">${l.requested}</td>
					<td class="text-right">${l.received}</td>
					<td class="text-right"><b class="rma-counted">${counted}</b></td>
					<td class="text-right">${open}</td>
					<td class="small">${esc(serials.join(", "))}${l.serials.length ? `<br><span class="text-muted">${__("Requested")}: ${esc(l.serials.join(", "))}</span>` : ""}</td>
					<td><select class="form-control input-sm rma-condition" aria-label="${__("Condition")}">${options}</select>
						<div style="margin-top: 4px">${this.photo_button(l.row)}</div></td>
				</tr>`;
			})
			.join("");
		const $p = this.$body.find(".rma-parcel").html(`
			<h4>${esc(d.rma)} · ${esc(d.customer || "")} · ${__(d.status)}</h4>
			<table class="table table-bordered rma-lines">
				<thead><tr><th>#</th><th>${__("Item")}</th><th class="text-right">${__("Requested")}</th>
				<th class="text-right">${__("Received before")}</th><th class="text-right">${__("Counted")}</th>
				<th class="text-right">${__("Still expected")}</th><th>${__("Serial Nos")}</th><th>${__("Condition")}</th></tr></thead>
				<tbody>${rows}</tbody>
			</table>
			${this.receipts_html(d.receipts || [])}`);
		$p.find(".rma-condition").on("change", (e) => {
			this.conditions[$(e.target).closest("tr").data("row")] = $(e.target).val();
		});
		$p.find(".rma-condition").on("keydown", (e) => {
			if (e.key === "Enter") this.focus();
		});
		this.bind_photo_buttons($p);
		this.page.btn_primary.prop("disabled", !Object.values(this.counts).some((n) => n > 0));
	}

	receipts_html(receipts) {
		if (!receipts.length) return "";
		const esc = frappe.utils.escape_html;
		const items = receipts
			.map(
				(r) => `<li>${esc(frappe.datetime.str_to_user(r.received_at))} · ${esc(r.received_by)} · ${esc(
					r.return_delivery_notes || ""
				)} · <a href="${slip_url(r.name)}" target="_blank">${__("Receiving slip")}</a>: ${r.lines
					.map(
						(l) =>
							`${esc(l.item_code)} × ${l.qty} (${__(l.condition || "")})${l.serial_nos ? " " + esc(l.serial_nos) : ""}${
								l.photos ? " · " + __("Photos: {0}", [l.photos]) : ""
							}`
					)
					.join("; ")}</li>`
			)
			.join("");
		return `<h5>${__("Booked before")}</h5><ul class="rma-receipts">${items}</ul>`;
	}

	async book() {
		if (!this.rma || !Object.values(this.counts).some((n) => n > 0)) {
			return this.show(__("Nothing was counted."), "danger", true);
		}
		this.page.btn_primary.prop("disabled", true);
		const r = await this.call("book", {
			rma: this.rma,
			request_key: this.request_key,
			counts: this.counts,
			serials: this.serials,
			conditions: this.conditions,
		});
		if (!r) {
			this.page.btn_primary.prop("disabled", false);
			return;
		}
		this.data = r;
		this.counts = {};
		this.serials = {};
		this.conditions = {};
		this.request_key = frappe.utils.get_random(20);
		this.show(__("Receipt booked for {0}: status {1}.", [r.rma, __(r.status)]), "success", false);
		const added = await this.upload_photos((row) => ["add_receipt_photo", { receipt: r.receipt, line: row }]);
		if (added) {
			const booked = await this.call("open_parcel", { label: r.rma }, true);
			if (booked && booked.found) this.data = booked;
			this.show(
				__("Receipt booked for {0}: status {1}.", [r.rma, __(r.status)]) + " " + __("Photos attached: {0}.", [added]),
				"success",
				false
			);
		}
		this.render();
		this.focus();
	}

	photo_button(row) {
		const n = (this.photos[row] || []).length;
		// on a tablet the condition column is narrow: the icon and the count, the words for screen readers
		const label = n ? __("Photos: {0}", [n]) : __("Add photos");
		return `<button type="button" class="btn btn-xs btn-default rma-photo" data-photo-row="${frappe.utils.escape_html(row)}"
			aria-label="${label}" title="${label}">${frappe.utils.icon("image", "xs")} ${n || "+"}</button>`;
	}

	bind_photo_buttons($el) {
		$el.find(".rma-photo").on("click", (e) => {
			this.photo_row = $(e.currentTarget).data("photo-row");
			this.$photo_input.val("").trigger("click");
		});
	}

	take_photos(files) {
		const row = this.photo_row;
		const kept = (this.photos[row] = this.photos[row] || []);
		const refused = [];
		Array.from(files || []).forEach((file) => {
			if (kept.length >= MAX_PHOTOS) refused.push(__("At most {0} photos.", [MAX_PHOTOS]));
			else if (!PHOTO_TYPES.includes(file.type)) refused.push(__("Photo {0} is not a JPEG or PNG image.", [file.name]));
			else if (file.size > MAX_PHOTO_MB * 1024 * 1024)
				refused.push(__("Photo {0} is larger than {1} MB.", [file.name, MAX_PHOTO_MB]));
			else kept.push(file);
		});
		if (refused.length) this.show(refused.join(" "), "danger", true);
		else this.show(__("Photos: {0}", [kept.length]) + " · " + __("They are attached when the receipt is booked."), "info", false);
		const $btn = this.$body.find(`.rma-photo[data-photo-row="${row}"]`);
		$btn.replaceWith(this.photo_button(row));
		this.bind_photo_buttons(this.$body.find(`.rma-photo[data-photo-row="${row}"]`).parent());
	}

	async upload_photos(target) {
		// the photos go after the booking, one request each: a booked receipt never waits for them
		let added = 0;
		for (const [row, files] of Object.entries(this.photos)) {
			for (const file of files) {
				const [method, args] = target(row);
				if (await this.upload(method, args, file)) added += 1;
			}
		}
		this.photos = {};
		return added;
	}

	async upload(method, args, file) {
		const form = new FormData();
		Object.entries(args).forEach(([k, v]) => form.append(k, v));
		form.append("photo", file, file.name);
		const response = await fetch("/api/method/" + API + method, {
			method: "POST",
			body: form,
			headers: { "X-Frappe-CSRF-Token": frappe.csrf_token, Accept: "application/json" },
		});
		if (response.ok) return true;
		const body = await response.json().catch(() => ({}));
		const messages = JSON.parse(body._server_messages || "[]").map((m) => JSON.parse(m).message);
		frappe.msgprint({ title: __("Photo not added"), message: messages.join("<br>") || file.name, indicator: "red" });
		return false;
	}

	async load_unmatched() {
		const r = await this.call("unmatched_parcels", {}, true);
		const $l = this.$body.find(".rma-unmatched-list");
		if (!r || !r.length) return $l.empty();
		const esc = frappe.utils.escape_html;
		$l.html(`<h5>${__("Unmatched parcels")}</h5><ul>${r
			.map((p) => `<li><a href="/app/rma-unmatched-parcel/${encodeURIComponent(p.name)}">${esc(p.label_code || p.name)}</a>
				<span class="text-muted">${esc(frappe.datetime.str_to_user(p.creation))}</span></li>`)
			.join("")}</ul>`);
	}

	async call(method, args, quiet) {
		try {
			const r = await frappe.call({ method: API + method, args, type: "POST", freeze: false });
			return r.message;
		} catch (e) {
			if (!quiet) {
				this.beep();
				this.focus();
			}
			return null;
		}
	}

	show(text, kind, loud) {
		this.$body
			.find(".rma-message")
			.removeClass("alert-info alert-success alert-danger alert-warning")
			.addClass("alert-" + kind)
			.text(text)
			.show();
		if (loud) this.beep();
		this.focus();
	}

	beep() {
		// a short low tone: the receiver hears a refusal without looking at the screen
		try {
			const Ctx = window.AudioContext || window.webkitAudioContext;
			this.audio = this.audio || new Ctx();
			const osc = this.audio.createOscillator();
			const gain = this.audio.createGain();
			osc.type = "square";
			osc.frequency.value = 220;
			gain.gain.value = 0.2;
			osc.connect(gain).connect(this.audio.destination);
			osc.start();
			osc.stop(this.audio.currentTime + 0.25);
		} catch (e) {
			// no audio device: the message on screen stands
		}
	}
}
