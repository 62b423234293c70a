"""What an uploaded file really is, judged from its first bytes rather than its name or browser type.

Service requests accept photos (JPEG, PNG) and documents (PDF) as attachments and CSV text for the
import. The name's extension must agree with the content, so a renamed executable or HTML page is
refused even when the browser calls it image/jpeg.
"""

import os

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
MAX_CSV_BYTES = 512 * 1024

EXTENSIONS = {
	"jpg": ("jpg", "jpeg"),
	"png": ("png",),
	"pdf": ("pdf",),
	"csv": ("csv", "txt"),
}

_MAGIC = {
	"jpg": (b"\xff\xd8\xff",),
	"png": (b"\x89PNG\r\n\x1a\n",),
	"pdf": (b"%PDF-",),
}


def sniff(content: bytes) -> str | None:
	"""'jpg', 'png' or 'pdf' from the leading bytes, else None."""
	head = bytes(content[:16] if content else b"")
	for kind, prefixes in _MAGIC.items():
		if any(head.startswith(prefix) for prefix in prefixes):
			return kind
	return None


def extension(file_name: str | None) -> str:
	return os.path.splitext(file_name or "")[1].lstrip(".").lower()


def file_kind(file_name: str | None, content: bytes, allowed: tuple[str, ...]) -> str | None:
	"""The kind (one of `allowed`) when name and content agree, else None.

	CSV has no signature: it is accepted by extension when it holds no NUL byte (binary files do).
	"""
	ext = extension(file_name)
	for kind in allowed:
		if ext not in EXTENSIONS.get(kind, ()):
			continue
		if kind == "csv":
			return kind if b"\x00" not in (content or b"")[:65536] else None
		return kind if sniff(content) == kind else None
	return None


def safe_file_name(file_name: str | None, fallback: str = "file") -> str:
	"""The base name only, without path parts or control characters, at most 120 characters."""
	name = os.path.basename((file_name or "").replace("\\", "/")).strip()
	name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
	if not name or name in (".", ".."):
		name = fallback
	stem, ext = os.path.splitext(name)
	return stem[: 120 - len(ext)] + ext
