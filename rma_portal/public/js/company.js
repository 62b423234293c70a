// rma_portal: the company pages (/company and /company/users). Every form with data-method posts to
// rma_portal.api.company.<method> (or data-api + method) (multipart, with the CSRF token) and reloads
// the page when done;
// errors are shown as text (never parsed as HTML) in the form's .rma-errors box.
(function () {
	"use strict";

	const API = "/api/method/rma_portal.api.company.";
	const { server_messages, translate } = window.rma_portal_ui;

	function form_data(form) {
		const data = new FormData(form);
		// rights are checkboxes named "rights": sent as one JSON list (an empty one too)
		if (form.querySelector("input[name=rights]")) {
			const flags = Array.from(form.querySelectorAll("input[name=rights]:checked"), (box) => box.value);
			data.delete("rights");
			data.append("rights", JSON.stringify(flags));
		}
		// unticked checkboxes that stand for a yes/no field are sent as 0
		form.querySelectorAll("input[type=checkbox][data-bool]").forEach((box) => {
			data.set(box.name, box.checked ? "1" : "0");
		});
		return data;
	}

	// the form's own error box, else the first one after it among its siblings (a member card's, the
	// one an invitation's Accept and Decline share): never a box elsewhere on the page
	function errors_box(form) {
		const inside = form.querySelector(".rma-errors");
		if (inside) return inside;
		let next = form.nextElementSibling;
		while (next && !next.matches(".rma-errors")) next = next.nextElementSibling;
		return next;
	}

	async function submit(form) {
		const errors = errors_box(form);
		const button = form.querySelector("button[type=submit]");
		if (errors) errors.classList.add("d-none");
		if (button) button.disabled = true;
		try {
			// a form of another area names its module (e.g. the project page's Project Users)
			const response = await fetch((form.dataset.api || API) + form.dataset.method, {
				method: "POST",
				headers: { Accept: "application/json", "X-Frappe-CSRF-Token": (window.frappe && frappe.csrf_token) || "" },
				body: form_data(form),
				credentials: "same-origin",
			});
			let data = {};
			try {
				data = await response.json();
			} catch (e) {
				data = {};
			}
			if (!response.ok) {
				const messages = server_messages(data, response);
				throw new Error(messages.join("\n") || translate("Something went wrong."));
			}
			window.location.href = form.dataset.next || window.location.pathname;
		} catch (error) {
			if (errors) {
				errors.textContent = error.message;
				errors.style.whiteSpace = "pre-line";
				errors.classList.remove("d-none");
			}
			if (button) button.disabled = false;
		}
	}

	document.addEventListener("submit", (event) => {
		const form = event.target;
		if (!form.dataset || !form.dataset.method) return;
		event.preventDefault();
		if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
		submit(form);
	});
})();
