"""The demo mailbox (scripts/demo_mailbox.py): what the SMTP sink stores is what `scripts/mailbox`
and the browser tests read back — recipients from the envelope, subject, text and links of a
multipart mail as Frappe sends it, newest first, and the page lists and shows it."""

import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import demo_mailbox


def frappe_like_mail(to: str, subject: str, link: str) -> bytes:
	message = EmailMessage()
	message["From"] = "portal@demo.example"
	message["To"] = to
	message["Subject"] = subject
	message["X-Frappe-Site"] = "http://127.0.0.1:8000"
	message.set_content(f"Please activate: {link}")
	message.add_alternative(f'<p>Please activate: <a href="{link}">{link}</a></p>', subtype="html")
	return message.as_bytes()


@pytest.fixture
def folder(tmp_path):
	link = "http://127.0.0.1:8000/register/activate?key=abc_DEF-123"
	demo_mailbox.store(
		tmp_path, ["petra@garage.example"], frappe_like_mail("Petra@Garage.example", "Activate", link)
	)
	demo_mailbox.store(
		tmp_path, ["other@garage.example"], frappe_like_mail("other@garage.example", "Other", link + "x")
	)
	return tmp_path


def test_stored_mail_reads_back(folder):
	found = demo_mailbox.mails_to("PETRA@garage.example", folder)
	assert len(found) == 1
	mail = found[0]
	assert mail.subject == "Activate"
	assert mail.recipients == ["petra@garage.example"]
	assert mail.site == "http://127.0.0.1:8000"
	assert mail.links() == ["http://127.0.0.1:8000/register/activate?key=abc_DEF-123"]
	assert "Please activate" in mail.text()


def test_newest_first_and_numbered(folder):
	demo_mailbox.store(
		folder, ["petra@garage.example"], frappe_like_mail("petra@garage.example", "Second", "http://x/2")
	)
	found = demo_mailbox.mails_to("petra@garage.example", folder)
	assert [m.subject for m in found] == ["Second", "Activate"]
	assert found[0].number == 3
	assert (
		demo_mailbox.wait_for("petra@garage.example", subject="activ", folder=folder, timeout=0).subject
		== "Activate"
	)
	with pytest.raises(LookupError):
		demo_mailbox.wait_for("petra@garage.example", after=3, folder=folder, timeout=0)


def test_command_prints_the_link(folder, capsys):
	assert demo_mailbox.main(["--dir", str(folder), "link", "petra@garage.example"]) == 0
	assert capsys.readouterr().out.strip() == "http://127.0.0.1:8000/register/activate?key=abc_DEF-123"
	assert demo_mailbox.main(["--dir", str(folder), "link", "nobody@garage.example"]) == 1


def test_page_lists_and_shows_mails(folder):
	listing = demo_mailbox.list_page(folder)
	assert "petra@garage.example" in listing and "/mail/1" in listing
	shown = demo_mailbox.mail_page(demo_mailbox.mails(folder)[0])
	assert 'href="http://127.0.0.1:8000/register/activate?key=abc_DEF-123"' in shown


def test_links_are_what_a_reader_clicks_not_the_doctype(tmp_path):
	# Frappe's mails start with an XHTML DOCTYPE naming w3.org: that address is no link to follow
	link = "http://127.0.0.1:8000/register/activate?key=xyz"
	message = EmailMessage()
	message["To"] = "lea@garage.example"
	message["Subject"] = "Activate your account"
	message.set_content("")
	message.add_alternative(
		'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
		'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
		f'<html xmlns="http://www.w3.org/1999/xhtml"><p><a href="{link}">Activate</a></p></html>',
		subtype="html",
	)
	demo_mailbox.store(tmp_path, ["lea@garage.example"], message.as_bytes())
	assert demo_mailbox.mails_to("lea@garage.example", tmp_path)[0].links() == [link]


def test_messages_keep_their_order_when_the_clock_does_not_move(tmp_path, monkeypatch):
	# a coarse clock gives two messages the same reading: the second must still read back second
	monkeypatch.setattr(demo_mailbox.time, "time_ns", lambda: 1_765_000_000_999_999_999)
	for subject in ("First", "Second", "Third"):
		demo_mailbox.store(tmp_path, ["a@garage.example"], frappe_like_mail("a@garage.example", subject, "x"))
	assert [m.subject for m in demo_mailbox.mails(tmp_path)] == ["First", "Second", "Third"]
