from rma_portal.domain.uploads import extension, file_kind, safe_file_name, sniff

PDF = b"%PDF-1.7\n..."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF"
ATTACHMENTS = ("jpg", "png", "pdf")


def test_sniff_reads_the_leading_bytes():
	assert sniff(PDF) == "pdf"
	assert sniff(PNG) == "png"
	assert sniff(JPG) == "jpg"
	assert sniff(b"<html>") is None
	assert sniff(b"") is None


def test_name_and_content_must_agree():
	assert file_kind("invoice.PDF", PDF, ATTACHMENTS) == "pdf"
	assert file_kind("photo.jpeg", JPG, ATTACHMENTS) == "jpg"
	assert file_kind("photo.jpg", PNG, ATTACHMENTS) is None  # a PNG called .jpg
	assert file_kind("invoice.pdf", b"<script>alert(1)</script>", ATTACHMENTS) is None
	assert file_kind("tool.exe", b"MZ\x90\x00", ATTACHMENTS) is None
	assert file_kind("noextension", PDF, ATTACHMENTS) is None


def test_csv_is_text_with_a_csv_name():
	assert file_kind("requests.csv", b'"a","b"\n', ("csv",)) == "csv"
	assert file_kind("requests.txt", b"a,b\n", ("csv",)) == "csv"
	assert file_kind("requests.csv", b"MZ\x00\x00", ("csv",)) is None
	assert file_kind("requests.xlsx", b"PK\x03\x04", ("csv",)) is None


def test_safe_file_name():
	assert safe_file_name("../../etc/passwd") == "passwd"
	assert safe_file_name("C:\\Users\\me\\bon.pdf") == "bon.pdf"
	assert safe_file_name('a<b>"c".pdf') == "abc.pdf"
	assert safe_file_name("") == "file"
	assert safe_file_name("x" * 300 + ".pdf").endswith(".pdf")
	assert len(safe_file_name("x" * 300 + ".pdf")) == 120
	assert extension("A.JPG") == "jpg"
