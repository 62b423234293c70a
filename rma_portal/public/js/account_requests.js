// rma_portal: /account-requests. The form shows only the fields the chosen request type uses (the
// table the server checks too, handed over in #ar-config) and posts them to file_request.
(function () {
	"use strict";

	const API = "/api/method/rma_portal.api.account_requests.";
	const { refusal, translate: t, error_alert, post } = window.rma_portal_ui;

	function page(root) {
		if (!root) return;
		const config = JSON.parse(root.querySelector("#ar-config").textContent);
		const form = root.querySelector(".ar-form");
		const type = form.querySelector("#ar-type");
		const submit = form.querySelector(".ar-submit");
		const show_errors = error_alert(root.querySelector(".ar-errors"), root.querySelector(".ar-error-list"));

		function shown() {
			return config.fields[type.value] || [];
		}

		function toggle() {
			const fields = shown();
			const required = config.required[type.value] || [];
			form.querySelectorAll(".ar-field").forEach((box) => {
				const name = box.dataset.field;
				box.classList.toggle("d-none", !fields.includes(name));
				box.querySelector(".ar-required").classList.toggle("d-none", !required.includes(name));
			});
			form.querySelectorAll(".ar-section").forEach((section) => {
				const any = section.querySelector(".ar-field:not(.d-none)");
				section.classList.toggle("d-none", !any);
			});
		}
		type.addEventListener("change", toggle);
		toggle();

		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			if (!type.value) {
				show_errors([t("Choose the type of request.")]);
				return;
			}
			show_errors([]);
			const values = {};
			shown().forEach((name) => {
				const field = form.elements[name];
				if (field && String(field.value || "").trim()) values[name] = String(field.value).trim();
			});
			const data = new URLSearchParams({ request_type: type.value, values: JSON.stringify(values) });
			submit.disabled = true;
			const label = submit.textContent;
			submit.textContent = t("Sending...");
			try {
				const { response, body } = await post(API + "file_request", data);
				if (response.ok && body.message && body.message.name) {
					window.location.href = "/account-requests?filed=" + encodeURIComponent(body.message.name);
					return;
				}
				show_errors(refusal(body, response));
			} catch (e) {
				show_errors(refusal());
			}
			submit.disabled = false;
			submit.textContent = label;
		});
	}

	window.rma_portal_account_requests = { page };
})();
