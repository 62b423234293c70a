"""Receiving by scan: matching a scanned code to an RMA line, over-counts and serial checks."""

from rma_portal.domain import receiving as r


def lines():
	return [
		r.Line("row1", "CHAIR", requested=2, barcodes=("4006381333931",)),
		r.Line("row2", "DRILL", requested=2, barcodes=("5901234123457",), serials=("SN1", "SN2")),
		r.Line("row3", "LAMP", requested=1, received=1, barcodes=("0012345678905",)),
	]


def test_ean_counts_its_line_and_trimmed_lowercase_codes_match():
	parcel = r.Parcel()
	scan = r.scan_item(lines(), " 4006381333931\n", parcel)
	assert (scan.kind, scan.row) == ("counted", "row1")
	r.count(parcel, scan)
	assert r.scan_item(lines(), "chair", parcel).row == "row1"


def test_an_item_not_on_the_rma_is_refused():
	assert r.scan_item(lines(), "9999999999994", r.Parcel()).kind == "not_on_rma"


def test_more_than_requested_is_refused():
	parcel = r.Parcel(counts={"row1": 2})
	assert r.scan_item(lines(), "4006381333931", parcel).kind == "over"
	# a line received in full before is over at the first scan
	assert r.scan_item(lines(), "0012345678905", r.Parcel()).kind == "over"


def test_a_serial_line_asks_for_the_serial_then_checks_it():
	ls, parcel = lines(), r.Parcel()
	assert r.scan_item(ls, "5901234123457", parcel).kind == "serial"
	assert r.scan_serial(ls[1], "SN9", parcel, set()).kind == "wrong_serial"
	ok = r.scan_serial(ls[1], "SN1", parcel, set())
	assert (ok.kind, ok.serial) == ("counted", "SN1")
	r.count(parcel, ok)
	assert parcel.serials == {"row2": ["SN1"]} and parcel.count("row2") == 1
	assert r.scan_serial(ls[1], "SN1", parcel, set()).kind == "serial_twice"


def test_a_serial_in_another_open_request_is_refused():
	line = r.Line("row9", "SAW", requested=1, serial_required=True)
	assert r.scan_serial(line, "X1", r.Parcel(), {"X1"}).kind == "serial_elsewhere"
	assert r.scan_serial(line, "X2", r.Parcel(), {"X1"}).kind == "counted"


def test_a_named_serial_scanned_alone_counts_its_line():
	scan = r.scan_item(lines(), "SN2", r.Parcel())
	assert (scan.kind, scan.row, scan.serial) == ("counted", "row2", "SN2")


def test_booking_problems_and_absolute_values():
	ls = lines()
	assert ("nothing", None) in r.booking_problems(ls, r.Parcel())
	assert ("over", "row1") in r.booking_problems(ls, r.Parcel(counts={"row1": 3}))
	assert ("serial_missing", "row2") in r.booking_problems(ls, r.Parcel(counts={"row2": 1}))
	assert ("not_on_rma", "rowX") in r.booking_problems(ls, r.Parcel(counts={"rowX": 1}))
	parcel = r.Parcel(counts={"row1": 1, "row2": 1}, serials={"row2": ["SN2"]})
	assert r.booking_problems(ls, parcel) == []
	assert r.absolute_quantities(ls, parcel) == {"row1": 1, "row2": 1}
	assert r.absolute_serials(ls, parcel) == {"row2": "SN2"}


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_photo_from_the_device_is_a_jpeg_or_png_whose_name_agrees():
	assert r.photo_problem("IMG_0001.JPG", JPEG, 0) is None
	assert r.photo_problem("scan.png", PNG, 3) is None
	assert r.photo_problem("photo.jpg", b"<html><script>", 0) == "not_image"  # renamed page
	assert r.photo_problem("photo.png", JPEG, 0) == "not_image"  # name and content disagree
	assert r.photo_problem("manual.pdf", b"%PDF-1.7", 0) == "not_image"  # a document, not a photo
	assert r.photo_problem("photo.jpg", b"", 0) == "empty"


def test_photos_are_limited_in_size_and_number():
	assert r.photo_problem("big.jpg", JPEG + b"\x00" * r.MAX_ATTACHMENT_BYTES, 0) == "too_large"
	assert r.photo_problem("one-more.jpg", JPEG, r.MAX_PHOTOS) == "too_many"
	assert r.photo_problem("last.jpg", JPEG, r.MAX_PHOTOS - 1) is None


def test_a_serial_counts_on_the_line_of_the_same_item_that_named_it():
	two_deliveries = [
		r.Line("rowA", "DRILL", requested=1, barcodes=("5901234123457",), serials=("SN1",)),
		r.Line("rowB", "DRILL", requested=1, barcodes=("5901234123457",), serials=("SN2",)),
		r.Line("rowC", "LAMP", requested=1, serials=("SN9",)),
	]
	parcel = r.Parcel()
	awaiting = r.scan_item(two_deliveries, "5901234123457", parcel)
	assert (awaiting.kind, awaiting.row) == ("serial", "rowA")
	line = r.serial_line(two_deliveries, two_deliveries[0], "SN2", parcel)
	assert line.row == "rowB"
	assert r.scan_serial(line, "SN2", parcel, set()).kind == "counted"
	# another item's serial stays refused on the awaiting line
	assert r.serial_line(two_deliveries, two_deliveries[0], "SN9", parcel).row == "rowA"
	assert r.scan_serial(two_deliveries[0], "SN9", parcel, set()).kind == "wrong_serial"
