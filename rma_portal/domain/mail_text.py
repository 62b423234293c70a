"""The plain-text part of an HTML e-mail, written for people: no Markdown marks.

Frappe derives a mail's text part with html2text, which writes Markdown (`**RMA/00001/SR/2026**`,
`[link](url)`, table pipes). A reader whose mail program shows the text part saw those marks. This
writes what the HTML says: paragraphs and line breaks, list items with "-" or their number, table
rows with their cells side by side, a link as its text followed by its address.
"""

import html
import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "table", "tr", "ol", "ul", "h1", "h2", "h3", "h4", "blockquote"}
_SKIP = {"style", "script", "head", "title"}


class _Text(HTMLParser):
	def __init__(self):
		super().__init__(convert_charrefs=True)
		self.out: list[str] = []
		self.lists: list[list] = []  # [kind, counter] per open list
		self.links: list[tuple[str, int]] = []  # href, position of the link's text
		self.skip = 0
		self.cell = 0

	def handle_starttag(self, tag, attrs):
		if tag in _SKIP:
			self.skip += 1
		elif tag == "br":
			self.out.append("\n")
		elif tag in _BLOCKS:
			self.out.append("\n\n" if tag in ("p", "table", "ol", "ul") else "\n")
			if tag in ("ol", "ul"):
				self.lists.append([tag, 0])
			if tag == "tr":
				self.cell = 0
		elif tag == "li":
			kind = self.lists[-1] if self.lists else ["ul", 0]
			kind[1] += 1
			self.out.append("\n" + (f"{kind[1]}. " if kind[0] == "ol" else "- "))
		elif tag in ("td", "th"):
			if self.cell:
				self.out.append("   ")
			self.cell += 1
		elif tag == "a":
			self.links.append((dict(attrs).get("href") or "", len(self.out)))

	def handle_endtag(self, tag):
		if tag in _SKIP:
			self.skip = max(0, self.skip - 1)
		elif tag in ("ol", "ul") and self.lists:
			self.lists.pop()
			self.out.append("\n\n")
		elif tag in ("p", "table"):
			self.out.append("\n\n")
		elif tag == "a" and self.links:
			href, start = self.links.pop()
			text = "".join(self.out[start:]).strip()
			if href and not href.startswith("mailto:") and href != text:
				self.out.append(f" ({href})" if text else href)

	def handle_data(self, data):
		if not self.skip:
			self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(value: str | None) -> str:
	"""The text of an HTML mail body, one paragraph per block, no markup or Markdown."""
	parser = _Text()
	parser.feed(value or "")
	parser.close()
	text = html.unescape("".join(parser.out))
	lines = [line.strip() for line in text.split("\n")]
	return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
