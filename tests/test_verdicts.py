"""benchmarks/verdicts.py: the verdicts of issue 27's targets from the figures RESULTS.md's sections
carry, and the figures' round trip through http_bench.py's and load/report.py's sections (no site)."""

import csv
import importlib.util
import json
import sys
from argparse import Namespace
from datetime import datetime, timezone
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import http_bench
import results_file
import verdicts


def load_report_module():
	spec = importlib.util.spec_from_file_location("load_report", BENCHMARKS / "load" / "report.py")
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	return module


PAGES = ("/rma (list page)", "/portal (overview)", "/company")
JSONS = ("list_rmas", "service search")


def url(label, kind, p95, queries=25, errors=0):
	return {
		"label": label,
		"kind": kind,
		"n": 60,
		"errors": errors,
		"p50": p95 / 2,
		"p95": p95,
		"queries": queries,
	}


def size(lines, **p95_of):
	"""A size where everything holds: /me 90 ms, /orders 250, ping 10; pages 90 ms, JSON 20 ms."""
	urls = [
		url("ping", "ref", 10.0, 2),
		url("Frappe /me", "ref", 90.0, 30),
		url("ERPNext /orders", "ref", 250.0, 176),
	]
	urls += [url(label, "page", 90.0) for label in PAGES] + [url(label, "json", 20.0, 5) for label in JSONS]
	for found in urls:
		found.update(p95_of.get(found["label"], {}))
	return {"customer": f"Bench Dealer {lines}", "lines": lines, "urls": urls, "refused": []}


def load(**figures):
	data = {
		"generated": "2026-12-07 03:00 UTC",
		"code": "commit abc",
		"load_start": "0.30 / 0.40 / 0.50",
		"users": 50,
		"spawn_rate": "10",
		"duration": "5m",
		"requests": 8000,
		"requests_per_s": 26.7,
		"failures": 0,
		"p50": 60,
		"p95": 280,
		"cpu_ms_per_request": 22.5,
		"web_cpu_ms_per_request": 18.0,
		"worker_cpu_ms_per_request": 4.5,
		"worker_cpu_ms_per_return": 230.0,
		"returns_filed": 160,
		"first_new_p50": 90,
		"later_new_p50": 60,
		"first_vs_later": 1.5,
		"consistent": True,
	}
	data.update(figures)
	return data


def results(http=None, load_50=None, load_100=None):
	"""A RESULTS.md with notes and the given sections' figures."""
	parts = ["# Benchmark results", "", "Notes.", "", "## A note written by hand", "", "Kept."]
	for name, data in (("http", http), ("load", load_50), ("load-100", load_100)):
		if data is not None:
			begin, end = results_file.markers(name)
			parts += ["", begin, f"The {name} tables.", results_file.data_comment(data), end]
	return "\n".join(parts) + "\n"


def table(document):
	"""The verdicts table as {target's first words: (holds, measured)}."""
	rows = {}
	for line in verdicts.verdicts_text(document).splitlines():
		cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
		if line.startswith("| ") and len(cells) == 3 and cells[0] not in ("target", "---"):
			rows[cells[0]] = (cells[1], cells[2])
	return rows


def row(rows, words):
	found = [value for target, value in rows.items() if words in target]
	assert len(found) == 1, (words, list(rows))
	return found[0]


def everything_holds():
	return results({"sizes": [size(2000), size(20000), size(200000)]}, load(), load(users=100, p95=900))


def test_everything_holding_says_yes_on_every_row():
	rows = table(everything_holds())
	assert len(rows) == 10
	assert {holds for holds, _m in rows.values()} == {"yes"}
	assert row(rows, "Frappe's `/me`")[1].startswith("2,000 lines: 3 of 3 (1.00x); 20,000 lines: 3 of 3")
	assert "Targets holding: 10 of 10." in verdicts.verdicts_text(everything_holds())


def test_a_page_over_me_is_named_with_its_ratio_at_its_size():
	http = {"sizes": [size(2000), size(200000, **{"/company": {"p95": 120.0}})]}
	rows = table(results(http))
	holds, measured = row(rows, "Frappe's `/me`")
	assert holds == "**no**"
	assert "2,000 lines: 3 of 3" in measured
	assert "200,000 lines: 2 of 3 (1.00-1.33x), misses: /company 1.33x" in measured
	assert row(rows, "ERPNext's `/orders`")[0] == "yes"  # 120 ms is 0.48x /orders


def test_a_page_over_half_of_orders():
	http = {"sizes": [size(2000, **{"ERPNext /orders": {"p95": 150.0}}), size(200000)]}
	holds, measured = row(table(results(http)), "ERPNext's `/orders`")
	assert holds == "**no**"
	assert "2,000 lines: 0 of 3" in measured and "/rma (list page) 0.60x" in measured


def test_a_json_method_over_ten_times_ping():
	http = {"sizes": [size(2000), size(200000, **{"service search": {"p95": 101.0}})]}
	rows = table(results(http))
	assert row(rows, "JSON method")[0] == "**no**"
	assert "misses: service search 10.10x" in row(rows, "JSON method")[1]
	assert row(rows, "Frappe's `/me`")[0] == "yes"


def test_a_page_over_thirty_queries():
	http = {"sizes": [size(2000, **{"/company": {"queries": 31}}), size(200000)]}
	holds, measured = row(table(results(http)), "SQL queries (issue 14)")
	assert holds == "**no**" and "/company 31 queries" in measured


def test_a_url_slower_at_the_largest_size_is_named_with_its_times():
	http = {
		"sizes": [size(200000, **{"list_rmas": {"p95": 13.2}}), size(2000, **{"list_rmas": {"p95": 10.0}})]
	}
	holds, measured = row(table(results(http)), "largest size")
	assert holds == "**no**"
	assert measured.startswith("2,000 lines → 200,000 lines: 4 of 5")
	assert "misses: list_rmas 10 ms → 13.2 ms (1.32x)" in measured


def test_a_url_with_more_queries_at_the_largest_size_misses_as_in_the_http_table():
	http = {"sizes": [size(2000), size(200000, **{"/portal (overview)": {"queries": 26}})]}
	holds, measured = row(table(results(http)), "largest size")
	assert holds == "**no**" and "SQL queries 25 → 26" in measured


def test_the_references_have_no_target():
	http = {"sizes": [size(2000), size(200000, **{"ERPNext /orders": {"p95": 400.0}})]}
	assert row(table(results(http)), "largest size")[0] == "yes"


def test_a_page_not_timed_or_with_errors_does_not_hold():
	small = size(2000, **{"list_rmas": {"errors": 3}})
	small["refused"] = [{"label": "/company", "kind": "page", "status": 403}]
	small["urls"] = [u for u in small["urls"] if u["label"] != "/company"]
	rows = table(results({"sizes": [small, size(200000)]}))
	holds, measured = row(rows, "Frappe's `/me`")
	assert (
		holds == "**no**"
		and "2,000 lines: 2 of 3" in measured
		and "/company not timed (HTTP 403)" in measured
	)
	assert row(rows, "answered 200") == ("**no**", "not answered 200: list_rmas at 2,000 lines: 3 of 63")


def test_a_run_of_some_urls_only_says_so():
	text = verdicts.verdicts_text(results({"sizes": [size(2000)], "only": ["invoices", "overview"]}))
	assert 'only the URLs with "invoices" or "overview")' in text


def test_one_size_cannot_say_how_the_times_grow():
	rows = table(results({"sizes": [size(2000)]}))
	assert row(rows, "largest size")[0].startswith("not measured")


def test_each_load_target_missed():
	document = results(
		{"sizes": [size(2000), size(20000)]},
		load(p95=301, cpu_ms_per_request=26.0, first_vs_later=2.5, first_new_p50=150, later_new_p50=60),
		load(users=100, failures=1),
	)
	rows = table(document)
	assert row(rows, "p95 over all requests")[0] == "**no**"
	assert "p50 / p95 60 ms / 301 ms" in row(rows, "p95 over all requests")[1]
	holds, measured = row(rows, "server CPU")
	assert holds == "**no**"
	assert (
		measured
		== "26 ms a request: the web server 18 ms, the RQ worker 4.5 ms, 230 ms a return filed (160 filed)"
	)
	assert row(rows, "first `/rma/new`") == (
		"**no**",
		"a user's first 150 ms against 60 ms for the later ones, at the median: 2.5x",
	)
	assert row(rows, "100 users")[0] == "**no**"
	assert "100 users, 5m: 8,000 requests" in row(rows, "100 users")[1]


def test_an_inconsistent_or_empty_100_user_run_does_not_hold():
	for figures in ({"consistent": False}, {"requests": 0}):
		document = results(None, load(), load(users=100, **figures))
		assert row(table(document), "100 users")[0] == "**no**"


def test_missing_sections_are_not_measured_with_the_command_to_run():
	rows = table(results())
	assert len(rows) == 10
	assert row(rows, "Frappe's `/me`") == ("not measured (run `scripts/bench`)", "-")
	assert row(rows, "server CPU")[0] == "not measured (run `scripts/bench --load`, or `scripts/load-test`)"
	assert row(rows, "100 users")[0] == (
		"not measured (run `scripts/bench --load`, or `scripts/load-test --users 100 --section load-100`)"
	)
	assert "Targets holding: 0 of 10 (10 not measured)." in verdicts.verdicts_text(results())


def test_a_section_without_figures_is_not_measured():
	document = (
		results(None, load()).replace("load tables.", "load tables.\n").replace("<!-- data:", "<!-- old:")
	)
	assert results_file.section_text(document, "load") is not None
	assert row(table(document), "server CPU")[0].startswith("not measured")
	assert "`load` (without its figures" in verdicts.verdicts_text(document)


def test_the_section_goes_before_the_notes_and_replaces_itself(tmp_path, monkeypatch):
	path = tmp_path / "RESULTS.md"
	path.write_text(everything_holds())
	monkeypatch.setattr(sys, "argv", ["verdicts.py", "--out", str(path)])
	verdicts.main()
	verdicts.main()
	text = path.read_text()
	assert text.count("<!-- BEGIN verdicts:") == 1
	assert text.index("Notes.") < text.index("<!-- BEGIN verdicts:") < text.index("## A note written by hand")
	assert (
		text.index("<!-- END verdicts -->")
		< text.index("## A note written by hand")
		< text.index("BEGIN http")
	)


def test_a_data_comment_cannot_be_closed_by_a_label():
	data = {"label": "a --> b <!-- c", "p95": 1.5, "none": None}
	line = results_file.data_comment(data)
	assert "-->" not in line[: -len(" -->")] and "\n" not in line
	assert results_file.parse_data("text\n" + line + "\nmore") == data


def test_finite_figures_for_json():
	assert results_file.finite(float("nan")) is None
	assert results_file.finite("12.345") == 12.3
	assert results_file.finite("-") is None


def bench_row(label, kind, p95, queries):
	return {
		"label": label,
		"path": "/" + label,
		"kind": kind,
		"n": 60,
		"errors": {},
		"p50": p95 / 2,
		"p95": p95,
		"queries": queries,
		"sql_ms": 1.0,
		"slowest_ms": 0.5,
		"slowest": "select 1",
	}


def bench_result(lines, overview_p95):
	rows = [
		bench_row("ping", "ref", 10.0, 2),
		bench_row("Frappe /me", "ref", 90.0, 30),
		bench_row("ERPNext /orders", "ref", 250.0, 176),
		bench_row("/portal (overview)", "page", overview_p95, 30),
		bench_row("list_rmas", "json", float("nan"), 5),  # every request failed: no p95
	]
	return {
		"size": {"customer": f"Bench Dealer {lines}", "lines": lines, "made": False},
		"values": {"candidates": lines},
		"rows": rows,
		"refused": [("/company", "/company", 403)],
		"seconds": 100.0,
		"load_before": "0.1 / 0.1 / 0.1",
		"load_after": "0.2 / 0.2 / 0.2",
	}


def test_http_bench_section_carries_the_figures_and_agrees_with_its_own_table():
	args = Namespace(url="http://127.0.0.1:8021", server="gunicorn", requests=60, block=20)
	started = datetime(2026, 12, 7, 3, 0, tzinfo=timezone.utc)
	text = http_bench.report(
		args, [bench_result(2000, 100.0), bench_result(200000, 120.0)], started, "0.1 / 0.1 / 0.1"
	)
	data = results_file.parse_data(text)
	assert [s["lines"] for s in data["sizes"]] == [2000, 200000] and data["only"] == []
	assert data["sizes"][1]["urls"][3] == {
		"label": "/portal (overview)",
		"kind": "page",
		"n": 60,
		"errors": 0,
		"p50": 60.0,
		"p95": 120.0,
		"queries": 30,
	}
	assert data["sizes"][0]["urls"][4]["p95"] is None
	assert data["sizes"][0]["refused"] == [{"label": "/company", "kind": "page", "status": 403}]
	# the http table: at 200,000 lines the overview misses /me (1.33x), at 2,000 it holds (1.11x)
	assert (
		"| /portal (overview) | 60.0 | 120.0 | 30 | 1.0 | 0.5 | 0.48 | 1.33 | 12.0 | **no** (/me) |" in text
	)
	begin, end = results_file.markers("http")
	document = f"# Results\n\n{begin}\n{text}\n{end}\n"
	rows = table(document)
	assert row(rows, "Frappe's `/me`") == (
		"**no**",
		"2,000 lines: 1 of 2 (1.11x), misses: /company not timed (HTTP 403); "
		"200,000 lines: 0 of 2 (1.33x), misses: /portal (overview) 1.33x, /company not timed (HTTP 403)",
	)
	assert "list_rmas not timed" in row(rows, "JSON method")[1]


def write_csv(path, rows):
	columns = [
		"Type",
		"Name",
		"Request Count",
		"Failure Count",
		"50%",
		"95%",
		"99%",
		"Max Response Time",
		"Requests/s",
	]
	with open(path, "w", newline="") as f:
		writer = csv.writer(f)
		writer.writerow(columns)
		writer.writerows(rows)


def test_load_report_section_carries_the_figures(tmp_path, monkeypatch):
	report = load_report_module()
	write_csv(
		tmp_path / "load_stats.csv",
		[
			["GET", "/rma/new", 500, 0, 170, 570, 900, 2000, 1.7],
			["GET", "/rma/new, a user's first", 100, 0, 340, 800, 900, 1000, 0.3],
			["POST", "submit_return", 40, 0, 200, 400, 500, 600, 0.1],
			["", "Aggregated", 10000, 2, 70, 320, 900, 3000, 33.3],
		],
	)
	(tmp_path / "check.json").write_text("bench output\n" + json.dumps({"ok": True, "filed": 40}) + "\n")
	(tmp_path / "customers.jsonl").write_text(
		json.dumps({"customer": "Load Dealer 01", "users": ["a"], "lines": 2000})
	)
	out = tmp_path / "RESULTS.md"
	argv = ["report.py", "--csv", str(tmp_path / "load"), "--check", str(tmp_path / "check.json")]
	argv += ["--customers", str(tmp_path / "customers.jsonl"), "--users", "100", "--duration", "5m"]
	argv += ["--started", "2026-12-07 03:00", "--load-start", "0.3 / 0.3 / 0.3", "--load-end", "2 / 2 / 2"]
	argv += [
		"--url",
		"http://127.0.0.1:8034",
		"--server",
		"gunicorn",
		"--server-cpu",
		"300",
		"--worker-cpu",
		"10",
	]
	argv += ["--out", str(out), "--section", "load-100"]
	monkeypatch.setattr(sys, "argv", argv)
	report.main()
	document = out.read_text()
	assert results_file.section_text(document, "load") is None
	data = results_file.section_data(document, "load-100")
	assert data["users"] == 100 and data["requests"] == 10000 and data["failures"] == 2
	assert (data["p50"], data["p95"]) == (70.0, 320.0)
	assert data["cpu_ms_per_request"] == 30.0
	assert (data["web_cpu_ms_per_request"], data["worker_cpu_ms_per_request"]) == (29.0, 1.0)
	assert (data["worker_cpu_ms_per_return"], data["returns_filed"]) == (250.0, 40)
	assert (data["first_new_p50"], data["later_new_p50"], data["first_vs_later"]) == (340.0, 170.0, 2.0)
	assert data["consistent"] is True
	assert row(table(document), "100 users")[0] == "**no**"  # 2 failures


@pytest.mark.parametrize("label", PAGES + JSONS)
def test_the_kinds_are_http_benchs(label):
	"""The synthetic URLs above are the benchmark's own, of the same kind."""
	kind = "page" if label in PAGES else "json"
	assert http_bench.KINDS[label] == kind
