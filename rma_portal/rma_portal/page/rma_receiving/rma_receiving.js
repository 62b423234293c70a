// RMA Receiving: receive a parcel with a keyboard-wedge scanner (codes typed, then Enter).
// Scan the label (the RMA number) -> its lines; scan EANs (and serials) -> lines count up.
// Every scan is checked by the server (api/receiving.py); refusals are shown and beeped.
const API = "rma_portal.api.receiving.";
const CONDITIONS = ["As new", "Opened", "Damaged", "Incomplete"];

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
		</div>`).appendTo(page.body);
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
			this.codes = [label];
			this.request_key = frappe.utils.get_random(20);
		}
		this.rma = r.rma;
		this.data = r;
		this.awaiting = null;
		const expected = r.lines.reduce((s, l) => s + Math.max(l.requested - l.received, 0), 0);
		this.show(
			expected
				? __("RMA {0} opened: {1} units expected.", [r.rma, expected])
				: __("RMA {0} is received in full: nothing is expected.", [r.rma]),
			expected ? "info" : "warning",
			!expected
		);
		this.render();
	}

	unmatched(label, reason) {
		this.show(reason + " " + __("Press Enter on the button below to record it as an unmatched parcel."), "danger", true);
		const $p = this.$body.find(".rma-parcel").empty();
		this.rma = null;
		const $btn = $(`<button class="btn btn-default">${__("Record unmatched parcel")}</button>`).appendTo($p);
		$btn.on("click", async () => {
			const r = await this.call("record_unmatched", { label, codes: this.codes });
			if (!r) return;
			this.codes = [];
			$p.empty().append(
				`<p>${__("Unmatched parcel {0} recorded.", [
					`<a href="/app/rma-unmatched-parcel/${encodeURIComponent(r.name)}">${frappe.utils.escape_html(r.name)}</a>`,
				])} ${__("Open it to attach photos.")}</p>`
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
					<td><select class="form-control input-sm rma-condition" aria-label="${__("Condition")}">${options}</select></td>
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
					.map((l) => `${esc(l.item_code)} × ${l.qty} (${__(l.condition || "")})${l.serial_nos ? " " + esc(l.serial_nos) : ""}`)
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
		this.render();
		this.focus();
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
