// rma_portal: the company pages (/company and /company/users). Every form with data-method posts to
// rma_portal.api.company.<method> (or data-api + method) (multipart, with the CSRF token) and reloads
// the page when done;
// errors are shown as text (never parsed as HTML) in the form's .rma-errors box.
(function () {
	"use strict";

	const API = "/api/method/rma_portal.api.company.";
	const { server_messages, translate, post } = window.rma_portal_ui;

	function form_data(form) {
		const data = new FormData(form);
		// rights (and a webhook's events) are checkboxes of one name: sent as one JSON list (an empty one too)
		["rights", "events"].forEach((name) => {
			if (!form.querySelector(`input[name=${name}]`)) return;
			const values = Array.from(form.querySelectorAll(`input[name=${name}]:checked`), (box) => box.value);
			data.delete(name);
			data.append(name, JSON.stringify(values));
		});
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

	// a secret shown once (a new API key, a webhook's signing secret): in the form's result box, as
	// text; the box's link reloads the page
	function show_result(form, message) {
		const box = document.querySelector(form.dataset.result);
		box.querySelectorAll("[data-field]").forEach((el) => {
			el.textContent = message[el.dataset.field] || "";
		});
		form.classList.add("d-none");
		box.classList.remove("d-none");
	}

	async function submit(form) {
		const errors = errors_box(form);
		const button = form.querySelector("button[type=submit]");
		if (errors) errors.classList.add("d-none");
		if (button) button.disabled = true;
		try {
			// a form of another area names its module (e.g. the project page's Project Users)
			const { response, body: data } = await post((form.dataset.api || API) + form.dataset.method, form_data(form));
			if (!response.ok) {
				const messages = server_messages(data, response);
				throw new Error(messages.join("\n") || translate("Something went wrong."));
			}
			if (form.dataset.result) {
				show_result(form, data.message || {});
				return;
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
