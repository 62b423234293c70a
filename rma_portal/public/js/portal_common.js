// rma_portal: helpers shared by the portal page scripts (rma_portal.js, service.js, warranty.js, ...).
// Loaded before them; they read what they need from window.rma_portal_ui.
(function () {
	"use strict";

	// "{0} of {1}" placeholders, as Frappe's __() fills them.
	function fmt(text, args) {
		return String(text || "").replace(/\{(\d+)\}/g, (m, i) => (args && args[i] !== undefined ? args[i] : m));
	}

	// Frappe's __() on the website (the page puts its translations in frappe._messages), or fmt.
	function translate(text, args) {
		return typeof window.__ === "function" ? window.__(text, args) : fmt(text, args);
	}

	// A DOM node built with textContent only, so nothing a user typed is ever parsed as HTML.
	// attrs: "text" sets textContent, "class" the class name; non-string values of a node's own
	// properties (e.g. checked, onclick) are assigned, everything else is an attribute.
	function el(tag, attrs, children) {
		const node = document.createElement(tag);
		Object.entries(attrs || {}).forEach(([key, value]) => {
			if (value === null || value === undefined || value === false) return;
			if (key === "text") node.textContent = value;
			else if (key === "class") node.className = value;
			else if (key in node && typeof value !== "string") node[key] = value;
			else node.setAttribute(key, value === true ? "" : value);
		});
		(children || []).forEach(
			(child) => child && node.appendChild(typeof child === "string" ? document.createTextNode(child) : child)
		);
		return node;
	}

	function debounce(fn, ms) {
		let timer;
		return (...args) => {
			clearTimeout(timer);
			timer = setTimeout(() => fn(...args), ms);
		};
	}

	// Text lines of an HTML message from the server, without running or loading anything in it.
	function html_to_lines(html) {
		const doc = new DOMParser().parseFromString(String(html || ""), "text/html");
		const items = doc.querySelectorAll("li");
		if (items.length) return Array.from(items, (li) => li.textContent.trim()).filter(Boolean);
		doc.querySelectorAll("br").forEach((br) => br.replaceWith("\n"));
		return doc.body.textContent.split("\n").map((s) => s.trim()).filter(Boolean);
	}

	// Every message in a Frappe error response (_server_messages), as plain text lines. Given the
	// response, a server fault (5xx) gives none: its text is the server's, never shown; the caller
	// shows its own translated message instead.
	function server_messages(data, response) {
		const out = [];
		if (response && response.status >= 500) return out;
		let raw = [];
		try {
			raw = JSON.parse((data && data._server_messages) || "[]");
		} catch (e) {
			raw = [];
		}
		raw.forEach((entry) => {
			let msg = entry;
			try {
				msg = JSON.parse(entry);
			} catch (e) {
				/* a plain string */
			}
			const message = msg && typeof msg === "object" && "message" in msg ? msg.message : msg;
			(Array.isArray(message) ? message : [message]).forEach((m) => out.push(...html_to_lines(m)));
		});
		return out;
	}

	// An ISO date (yyyy-mm-dd, as the server sends it) written in the user's Frappe date format
	// ("dd.mm.yyyy", "mm/dd/yyyy", ...), which the pages also put in their date fields' placeholder:
	// the server reads dates typed that way back (domain/dates.py).
	function format_date(iso, date_format) {
		const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""));
		if (!match) return iso ? String(iso) : "";
		return String(date_format || "yyyy-mm-dd")
			.toLowerCase()
			.replace("yyyy", match[1])
			.replace("mm", match[2])
			.replace("dd", match[3]);
	}

	// A page's error alert (`box`, with a <ul> `list` in it): show(messages) lists them as text and
	// brings the alert into view; show([]) hides it.
	function error_alert(box, list) {
		return (messages) => {
			if (!box || !list) return;
			list.textContent = "";
			messages.forEach((m) => list.appendChild(el("li", { text: m })));
			box.classList.toggle("d-none", !messages.length);
			if (messages.length) {
				box.scrollIntoView({ behavior: "smooth", block: "start" });
				box.focus({ preventScroll: true });
			}
		};
	}

	// What to show for a refused request: the server's messages or, when it sent none, that it could not
	// handle the request (error <HTTP status>, or "network" without `response`: no answer came).
	function refusal(body, response) {
		const messages = response ? server_messages(body, response) : [];
		if (messages.length) return messages;
		return [
			translate("The server could not handle the request (error {0}). Please try again.", [
				response ? response.status : "network",
			]),
		];
	}

	// POST `body` (FormData or URLSearchParams) to a whitelisted method with the CSRF token; the
	// response and its JSON ({} when it has none, e.g. a proxy's 413 page).
	async function post(url, body) {
		const response = await fetch(url, {
			method: "POST",
			headers: { Accept: "application/json", "X-Frappe-CSRF-Token": frappe.csrf_token || "" },
			body,
		});
		let data = {};
		try {
			data = await response.json();
		} catch (e) {
			data = {};
		}
		return { response, body: data };
	}

	// A form marked data-post-to="<whitelisted method URL>" (a message on a request, an appeal, the
	// answer to a repair quote): its fields and files, and the name=value of the button pressed, are
	// posted once (the CSRF token in the header) after the button's data-confirm question, if any, is
	// answered yes; then the page shows again. A refusal lists the server's messages, or the form's
	// data-error text, in its role="alert" box.
	function post_form(form) {
		if (form.dataset.postReady) return; // this script loaded twice: one listener, one post
		form.dataset.postReady = "1";
		const box = form.querySelector("[role=alert]");
		const show = error_alert(box, box && box.querySelector("ul"));
		const buttons = () => form.querySelectorAll("[type=submit]");
		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			const pressed = event.submitter || buttons()[0];
			if (pressed.dataset.confirm && !window.confirm(pressed.dataset.confirm)) return;
			buttons().forEach((b) => (b.disabled = true));
			const body = new FormData(form);
			if (pressed.name) body.append(pressed.name, pressed.value);
			const { response, body: data } = await post(form.dataset.postTo, body);
			if (response.ok) return window.location.reload();
			const messages = server_messages(data, response);
			show(messages.length ? messages : [form.dataset.error]);
			buttons().forEach((b) => (b.disabled = false));
		});
	}

	function post_forms() {
		document.querySelectorAll("form[data-post-to]").forEach(post_form);
	}
	if (window.frappe && typeof frappe.ready === "function") frappe.ready(post_forms);
	else document.addEventListener("DOMContentLoaded", post_forms);

	function size_text(bytes) {
		if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1) + " MB";
		return Math.max(1, Math.round(bytes / 1024)) + " KB";
	}

	// The files chosen in an upload form's file input, kept across several choices and listed under
	// it (`list`) with their size, why each would be refused, and a Remove button; the server checks
	// type and size again. Items get the classes <prefix>-file, -file-name and -file-remove.
	function file_picker({ input, label, list, extensions, max_bytes, prefix }) {
		const files = [];

		function problem(file) {
			const ext = (file.name.split(".").pop() || "").toLowerCase();
			if (!file.name.includes(".") || !extensions.includes(ext)) return translate("only JPG, PNG and PDF files are accepted");
			if (max_bytes && file.size > max_bytes)
				return translate("larger than {0} MB", [Math.round(max_bytes / (1024 * 1024))]);
			if (!file.size) return translate("the file is empty");
			return null;
		}

		function render() {
			if (!list) return;
			list.textContent = "";
			files.forEach((file, index) => {
				const why = problem(file);
				const remove = el("button", {
					type: "button",
					class: `btn btn-link btn-sm text-danger p-0 ml-2 ${prefix}-file-remove`,
					text: translate("Remove"),
					"aria-label": translate("Remove {0}", [file.name]),
				});
				remove.addEventListener("click", () => {
					files.splice(index, 1);
					render();
				});
				list.appendChild(
					el("li", { class: `list-group-item px-0 py-1 d-flex align-items-center ${prefix}-file` }, [
						el("span", { class: `text-truncate ${prefix}-file-name`, text: file.name }),
						el("span", { class: "small text-muted ml-2 text-nowrap", text: size_text(file.size) }),
						why ? el("span", { class: "small text-danger ml-2", text: why }) : null,
						el("span", { class: "ml-auto" }, [remove]),
					])
				);
			});
			if (label) label.textContent = files.length ? translate("{0} file(s) chosen", [files.length]) : translate("Choose files");
		}

		if (input) {
			input.addEventListener("change", () => {
				Array.from(input.files || []).forEach((file) => {
					if (!files.some((f) => f.name === file.name && f.size === file.size)) files.push(file);
				});
				input.value = ""; // the same file can be chosen again after a Remove
				render();
			});
		}

		// Errors to show before sending: too many files (`too_many`, the page's own words), and each
		// file that would be refused.
		function errors(max_files, too_many) {
			const out = [];
			if (files.length > max_files) out.push(too_many);
			files.forEach((file) => {
				const why = problem(file);
				if (why) out.push(translate("Attachment {0}", [file.name]) + ": " + why + ".");
			});
			return out;
		}

		function append_to(data) {
			files.forEach((file) => data.append("files", file, file.name));
		}

		return { errors, append_to };
	}

	// Sends an upload form's `data` (its fields and chosen files) to `url` and opens the page the answer
	// names; the button says "Sending..." and is disabled meanwhile. A refusal shows the server's messages,
	// or the page's own words: texts.failed (no message) and texts.offline (no answer at all).
	async function send_and_open(url, data, submit, show_errors, texts) {
		submit.disabled = true;
		const label = submit.textContent;
		submit.textContent = translate("Sending...");
		try {
			const { response, body } = await post(url, data);
			if (response.ok && body.message && body.message.url) {
				window.location.href = body.message.url;
				return;
			}
			let messages = server_messages(body, response);
			if (response.status === 413) messages = [translate("The files are too large to send together.")];
			show_errors(messages.length ? messages : [texts.failed]);
		} catch (e) {
			show_errors([texts.offline]);
		}
		submit.disabled = false;
		submit.textContent = label;
	}

	window.rma_portal_ui = {
		fmt,
		translate,
		el,
		debounce,
		html_to_lines,
		server_messages,
		refusal,
		format_date,
		error_alert,
		post,
		post_form,
		file_picker,
		send_and_open,
	};
})();
