// rma_portal: the registration pages (/register, /register/activate, /register/resend).
// Plain JS on top of Frappe's web bundle; messages are shown with textContent, never as HTML.
(function () {
	"use strict";

	const API = "/api/method/rma_portal.api.registration.";
	const { server_messages, refusal, translate: t, error_alert, post } = window.rma_portal_ui;

	// One form: post its fields to `method`, list the server's errors, or show its answer.
	function wire(root, method, fields_of, on_done) {
		if (!root) return;
		const form = root.querySelector(".reg-form");
		if (!form) return;
		const submit = form.querySelector(".reg-submit");
		const show_errors = error_alert(root.querySelector(".reg-errors"), root.querySelector(".reg-error-list"));
		const done = root.querySelector(".reg-done");

		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			show_errors([]);
			const data = new URLSearchParams();
			Object.entries(fields_of(form)).forEach(([key, value]) => {
				if (value !== null && value !== undefined && value !== "") data.append(key, value);
			});
			submit.disabled = true;
			const label = submit.textContent;
			submit.textContent = t("Sending...");
			try {
				const { response, body } = await post(API + method, data);
				if (response.ok) {
					form.classList.add("d-none");
					done.textContent = (body.message && body.message.message) || "";
					done.classList.remove("d-none");
					done.focus({ preventScroll: true });
					if (on_done) on_done(body.message || {});
				} else if (response.status === 429 && !server_messages(body, response).length) {
					show_errors([t("Too many attempts: please wait an hour and try again.")]);
				} else {
					show_errors(refusal(body, response));
				}
			} catch (e) {
				show_errors(refusal());
			} finally {
				submit.disabled = false;
				submit.textContent = label;
			}
		});
		return form;
	}

	function value(form, name) {
		const field = form.elements[name];
		return field ? String(field.value || "").trim() : "";
	}

	function register(root) {
		const form = wire(root, "register", (f) => ({
			client_type: (f.querySelector("input[name=client_type]:checked") || {}).value || "",
			first_name: value(f, "first_name"),
			last_name: value(f, "last_name"),
			company_name: value(f, "company_name"),
			vat_prefix: value(f, "vat_prefix"),
			tax_id: value(f, "tax_id"),
			email: value(f, "email"),
			phone: value(f, "phone"),
			password: f.elements.password.value,
			accept_terms: f.elements.accept_terms.checked ? "1" : "0",
			marketing_consent: f.elements.marketing_consent && f.elements.marketing_consent.checked ? "1" : "0",
		}));
		if (!form) return;
		const partner = form.querySelector(".reg-partner");
		const toggle = () => {
			const type = (form.querySelector("input[name=client_type]:checked") || {}).value;
			partner.classList.toggle("d-none", type !== "Partner");
		};
		form.querySelectorAll("input[name=client_type]").forEach((r) => r.addEventListener("change", toggle));
		toggle();
	}

	function activate(root) {
		wire(
			root,
			"activate",
			(f) => ({ key: f.elements.key.value, password: f.elements.password.value }),
			() => root.querySelector(".reg-login").classList.remove("d-none")
		);
	}

	function resend(root) {
		wire(root, "resend_activation", (f) => ({ email: value(f, "email") }));
	}

	window.rma_portal_registration = { register, activate, resend };
})();
