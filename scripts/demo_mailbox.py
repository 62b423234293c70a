"""The demo's mailbox: a small SMTP sink on the loopback address, and ways to read what it received.

The demo site's outgoing Email Account ("Demo mailbox", made by `bench rma-demo`) sends to
127.0.0.1:2525. Nothing leaves the machine: every message is kept as one .eml file in the mailbox
folder (default $BENCH_DIR/mailbox), and can be read with

    scripts/mailbox                    the newest messages (number, date, site, to, subject)
    scripts/mailbox show [N]           message N (default the newest) as text, with its links
    scripts/mailbox link ADDRESS       the first link of the newest message to ADDRESS
    http://127.0.0.1:8025              the same list in a browser, each message as the recipient sees it

`scripts/mailbox serve` runs the sink and the page (scripts/setup and scripts/test start it; it needs
aiosmtpd, which they install into the bench's Python). Reading needs only the standard library, so
the browser tests import this module to read the mails the site sent.
"""

import argparse
import email
import email.policy
import html
import itertools
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"
SMTP_PORT = int(os.environ.get("MAIL_PORT", "2525"))
HTTP_PORT = int(os.environ.get("MAILBOX_HTTP_PORT", "8025"))
LINK = re.compile(r"https?://[^\s\"'<>]+")
HREF = re.compile(r"""href=["'](https?://[^"']+)["']""")


def default_folder() -> Path:
	return Path(
		os.environ.get("MAILBOX_DIR") or Path(os.environ.get("BENCH_DIR", "/opt/frappe-bench")) / "mailbox"
	)


@dataclass
class Mail:
	number: int
	path: Path
	message: EmailMessage

	@property
	def recipients(self) -> list[str]:
		"""The envelope's recipients (the sink writes them first), else the To header's."""
		found = self.message.get_all("X-Mailbox-Rcpt") or self.message.get_all("To") or []
		return [a.strip().lower() for value in found for a in str(value).split(",") if a.strip()]

	@property
	def subject(self) -> str:
		return str(self.message.get("Subject") or "")

	@property
	def date(self) -> str:
		return str(self.message.get("Date") or "")

	@property
	def site(self) -> str:
		return str(self.message.get("X-Frappe-Site") or "")

	def body(self, subtype: str = "plain") -> str:
		part = self.message.get_body(preferencelist=(subtype,))
		return part.get_content() if part is not None else ""

	def text(self) -> str:
		"""The plain text part, or the HTML part with its tags dropped."""
		plain = self.body("plain")
		if plain.strip():
			return plain
		return html.unescape(re.sub(r"<[^>]+>", " ", self.body("html")))

	def links(self) -> list[str]:
		# the links a reader can click (href), not the HTML's DOCTYPE or namespace addresses
		found = HREF.findall(html.unescape(self.body("html"))) + LINK.findall(self.body("plain"))
		return list(dict.fromkeys(link.rstrip(".,)") for link in found))


# Storing
# -------


_stored = itertools.count()


def store(folder: Path, recipients: list[str], content: bytes) -> Path:
	"""Keep one received message as <time>-<n>.eml, its envelope recipients as headers first."""
	folder.mkdir(parents=True, exist_ok=True)
	head = "".join(f"X-Mailbox-Rcpt: {r}\r\n" for r in recipients).encode()
	# one clock reading for both parts: two readings can straddle a second and sort a later
	# message before an earlier one; the counter orders two messages of the same nanosecond
	now = time.time_ns()
	seconds, fraction = divmod(now, 1_000_000_000)
	stem = f"{time.strftime('%Y%m%d-%H%M%S', time.localtime(seconds))}-{fraction:09d}-{next(_stored):06d}"
	tmp = folder / f".{stem}.tmp"
	tmp.write_bytes(head + content)
	path = folder / f"{stem}.eml"
	tmp.rename(path)  # readers never see half a message
	return path


class Sink:
	"""aiosmtpd handler: accepts every message for every recipient and stores it."""

	def __init__(self, folder: Path):
		self.folder = folder

	async def handle_DATA(self, server, session, envelope):
		store(self.folder, list(envelope.rcpt_tos), envelope.original_content or envelope.content)
		return "250 Message accepted for delivery"


# Reading
# -------


def mails(folder: Path | None = None) -> list[Mail]:
	"""Every stored message, oldest first, numbered from 1."""
	folder = folder or default_folder()
	paths = sorted(folder.glob("*.eml")) if folder.is_dir() else []
	return [
		Mail(n, path, email.message_from_bytes(path.read_bytes(), policy=email.policy.default))
		for n, path in enumerate(paths, start=1)
	]


def mails_to(address: str, folder: Path | None = None, subject: str = "") -> list[Mail]:
	"""Messages to `address` (any case) whose subject contains `subject`, newest first."""
	address = address.strip().lower()
	found = [m for m in mails(folder) if address in m.recipients and subject.lower() in m.subject.lower()]
	return list(reversed(found))


def wait_for(
	address: str, subject: str = "", after: int = 0, timeout: float = 60, folder: Path | None = None
):
	"""The newest message to `address` numbered above `after`, waiting up to `timeout` seconds."""
	deadline = time.monotonic() + timeout
	while True:
		found = [m for m in mails_to(address, folder, subject) if m.number > after]
		if found:
			return found[0]
		if time.monotonic() > deadline:
			raise LookupError(
				f"no mail to {address} ({subject!r}) within {timeout:.0f} s in {folder or default_folder()}"
			)
		time.sleep(0.5)


# The page on http://127.0.0.1:8025
# ---------------------------------

PAGE = """<!doctype html><meta charset="utf-8"><title>{title}</title>
<style>body{{font:15px system-ui,sans-serif;margin:2em auto;max-width:60em;color:#1f272e}}
table{{border-collapse:collapse;width:100%}}td,th{{text-align:left;padding:.4em .6em;border-bottom:1px solid #ddd}}
a{{color:#2463eb}}.muted{{color:#6b7280;font-size:13px}}.mail{{border:1px solid #ddd;padding:1em;border-radius:6px}}</style>
<h1>{title}</h1>{body}"""


def list_page(folder: Path) -> str:
	rows = "".join(
		f"<tr><td><a href='/mail/{m.number}'>{m.number}</a></td><td>{html.escape(m.date)}</td>"
		f"<td>{html.escape(', '.join(m.recipients))}</td><td><a href='/mail/{m.number}'>{html.escape(m.subject)}</a></td>"
		f"<td class='muted'>{html.escape(m.site)}</td></tr>"
		for m in reversed(mails(folder))
	)
	body = (
		f"<p class='muted'>Every e-mail the demo sites sent (kept in {html.escape(str(folder))}), newest first."
		" Nothing leaves this machine.</p>"
		"<table><tr><th>#</th><th>Date</th><th>To</th><th>Subject</th><th>Site</th></tr>"
		f"{rows or '<tr><td colspan=5>No e-mail yet.</td></tr>'}</table>"
	)
	return PAGE.format(title="Demo mailbox", body=body)


def mail_page(mail: Mail) -> str:
	content = mail.body("html") or f"<pre>{html.escape(mail.body('plain'))}</pre>"
	body = (
		f"<p><a href='/'>&larr; All e-mails</a></p>"
		f"<p><b>To:</b> {html.escape(', '.join(mail.recipients))}<br><b>From:</b> {html.escape(str(mail.message.get('From') or ''))}"
		f"<br><b>Date:</b> {html.escape(mail.date)}</p><div class='mail'>{content}</div>"
	)
	return PAGE.format(title=html.escape(mail.subject), body=body)


class Page(BaseHTTPRequestHandler):
	folder: Path = default_folder()

	def do_GET(self):
		number = re.fullmatch(r"/mail/(\d+)", self.path)
		if self.path == "/":
			self.answer(200, list_page(self.folder))
		elif number and 0 < int(number.group(1)) <= len(found := mails(self.folder)):
			self.answer(200, mail_page(found[int(number.group(1)) - 1]))
		else:
			self.answer(404, PAGE.format(title="Not found", body="<p><a href='/'>All e-mails</a></p>"))

	def answer(self, status: int, text: str):
		data = text.encode()
		self.send_response(status)
		self.send_header("Content-Type", "text/html; charset=utf-8")
		# a mail's HTML is shown as sent, but runs no script
		self.send_header("Content-Security-Policy", "script-src 'none'; object-src 'none'")
		self.send_header("Content-Length", str(len(data)))
		self.end_headers()
		self.wfile.write(data)

	def log_message(self, *args):
		pass


def serve(folder: Path, smtp_port: int, http_port: int):
	from aiosmtpd.controller import Controller

	folder.mkdir(parents=True, exist_ok=True)
	controller = Controller(Sink(folder), hostname=HOST, port=smtp_port)
	controller.start()
	Page.folder = folder
	print(
		f"demo mailbox: SMTP on {HOST}:{smtp_port}, page on http://{HOST}:{http_port}, kept in {folder}",
		flush=True,
	)
	try:
		ThreadingHTTPServer((HOST, http_port), Page).serve_forever()
	finally:
		controller.stop()


# Command line
# ------------


def print_list(folder: Path, limit: int):
	found = mails(folder)
	if not found:
		print(f"No e-mail yet in {folder}.")
	for m in reversed(found[-limit:]):
		print(f"{m.number:>4}  {m.date[:25]:<25}  {', '.join(m.recipients)[:40]:<40}  {m.subject}")


def print_mail(mail: Mail):
	print(f"To:      {', '.join(mail.recipients)}\nFrom:    {mail.message.get('From')}\nDate:    {mail.date}")
	print(f"Subject: {mail.subject}\n")
	print(re.sub(r"\n\s*\n+", "\n\n", mail.text()).strip())
	for link in mail.links():
		print(f"\nLink: {link}")


def main(argv=None) -> int:
	parser = argparse.ArgumentParser(prog="scripts/mailbox", description=__doc__.split("\n\n")[0])
	parser.add_argument("--dir", type=Path, default=None, help="the mailbox folder")
	sub = parser.add_subparsers(dest="command")
	listing = sub.add_parser("list", help="the newest messages")
	listing.add_argument("-n", type=int, default=20)
	show = sub.add_parser("show", help="one message as text, with its links")
	show.add_argument("number", nargs="?", type=int)
	link = sub.add_parser("link", help="the first link of the newest message to an address")
	link.add_argument("address")
	server = sub.add_parser("serve", help="run the SMTP sink and the page")
	server.add_argument("--smtp-port", type=int, default=SMTP_PORT)
	server.add_argument("--http-port", type=int, default=HTTP_PORT)
	args = parser.parse_args(argv)
	folder = args.dir or default_folder()
	if args.command == "serve":
		serve(folder, args.smtp_port, args.http_port)
	elif args.command == "show":
		found = mails(folder)
		if not found or (args.number and not 0 < args.number <= len(found)):
			print("No such e-mail.", file=sys.stderr)
			return 1
		print_mail(found[(args.number or len(found)) - 1])
	elif args.command == "link":
		found = mails_to(args.address, folder)
		if not found or not found[0].links():
			print(f"No e-mail with a link to {args.address}.", file=sys.stderr)
			return 1
		print(found[0].links()[0])
	else:
		print_list(folder, getattr(args, "n", 20))
	return 0


if __name__ == "__main__":
	sys.exit(main())
