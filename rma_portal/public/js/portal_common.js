// rma_portal: helpers shared by the portal page scripts (rma_portal.js, service.js, warranty.js).
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

	// Every message in a Frappe error response (_server_messages), as plain text lines.
	function server_messages(data) {
		const out = [];
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

	window.rma_portal_ui = { fmt, translate, el, debounce, html_to_lines, server_messages, format_date };
})();
