// rma_portal: the overview's chart and the offers' accept / decline steps (/portal, /portal/offers).
// Plain JS on top of Frappe's web bundle; the DOM is built with textContent, never innerHTML from data.
(function () {
	"use strict";

	const API = "/api/method/rma_portal.api.quotations.";
	const { server_messages } = window.rma_portal_ui;
	const __ = window.rma_portal_ui.translate;

	async function post(method, args) {
		const response = await fetch(API + method, {
			method: "POST",
			headers: {
				Accept: "application/json",
				"Content-Type": "application/json",
				"X-Frappe-CSRF-Token": (window.frappe && frappe.csrf_token) || "",
			},
			body: JSON.stringify(args),
		});
		let data = {};
		try {
			data = await response.json();
		} catch (e) {
			data = {};
		}
		if (!response.ok || data.exc_type) {
			let messages = server_messages(data, response); // none for a server fault: the generic one
			if (!messages.length) {
				messages = [
					response.status === 403
						? __("You are not allowed to do this. Please log in again.")
						: __("The server could not handle the request (error {0}). Please try again.", [response.status]),
				];
			}
			throw new Error(messages.join("\n"));
		}
		return data.message;
	}

	// Offers: a first click opens the confirmation, the second sends; the page then shows the new state.
	function offers(root) {
		root.querySelectorAll(".pa-offer").forEach((card) => {
			const name = card.dataset.name;
			const error = card.querySelector(".pa-error");
			const show = (which) => {
				card.querySelectorAll(".pa-confirm").forEach((box) => box.classList.toggle("d-none", !box.classList.contains(which)));
				if (error) error.classList.add("d-none");
				const focus = which && card.querySelector("." + which + " textarea, ." + which + " .pa-confirm-yes");
				if (focus) focus.focus();
			};
			const accept = card.querySelector(".pa-accept");
			const reject = card.querySelector(".pa-reject");
			if (accept) accept.addEventListener("click", () => show("pa-confirm-accept"));
			if (reject) reject.addEventListener("click", () => show("pa-confirm-reject"));
			card.querySelectorAll(".pa-cancel").forEach((b) => b.addEventListener("click", () => show(null)));
			card.querySelectorAll(".pa-confirm-yes").forEach((button) =>
				button.addEventListener("click", async () => {
					const action = button.dataset.action;
					const args = { name };
					if (action === "reject") {
						args.reason = card.querySelector(".pa-reason").value.trim();
						if (!args.reason) {
							error.textContent = __("Reason: please tell us why you decline this offer.");
							error.classList.remove("d-none");
							return;
						}
					}
					const label = button.textContent;
					button.disabled = true;
					button.textContent = __("Sending...");
					try {
						await post(action === "accept" ? "accept_quotation" : "reject_quotation", args);
						window.location.reload();
					} catch (e) {
						error.textContent = e.message;
						error.classList.remove("d-none");
						button.disabled = false;
						button.textContent = label;
					}
				})
			);
		});
	}

	// Overview: the outstanding amounts per week as a bar chart (frappe-charts, bundled with Frappe).
	function chart() {
		const data_el = document.getElementById("pa-chart-data");
		const target = document.getElementById("pa-chart");
		const charts = window["frappe-charts"];
		if (!data_el || !target || !charts) return;
		const data = JSON.parse(data_el.textContent);
		if (!data) return;
		new charts.Chart(target, {
			title: data.title + " (" + data.currency + ")",
			type: "bar",
			height: 180,
			colors: ["#2490ef"],
			data: { labels: data.labels, datasets: [{ name: data.currency, values: data.values }] },
			// every week's label where there is room; on phones every other one
			axisOptions: target.clientWidth < 480 ? { xAxisMode: "tick", xIsSeries: true } : { xAxisMode: "span" },
			barOptions: { spaceRatio: 0.4 },
		});
	}

	function ready(fn) {
		if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
		else fn();
	}

	ready(() => {
		const root = document.getElementById("pa-offers");
		if (root) offers(root);
		chart();
	});
})();
