"""The verdicts of issue 27's targets, from the figures the generated sections of RESULTS.md carry.

Run by `scripts/bench` at its very end (plain Python, no Frappe, no site):

    python3 benchmarks/verdicts.py [--out benchmarks/RESULTS.md]

Reads the `<!-- data: {...} -->` lines of the sections `http` (benchmarks/http_bench.py), `load` (the
50-user load test) and `load-100` (the 100-user one; benchmarks/load/report.py), checks each target
with the checks `http_bench.py` fills its "target holds" columns with (benchmarks/targets.py), and
writes the section `verdicts` (a table: target, holds?, measured), before the notes when it is new.
A section missing, or written before the sections carried their figures, gives "not measured" and
the command that measures it.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results_file import section_data, section_text, write_section
from targets import (
	FIRST_VS_LATER,
	JSON_VS_PING,
	LARGEST_VS_SMALLEST,
	LOAD_CPU_MS,
	LOAD_P95_MS,
	MAX_PAGE_QUERIES,
	ME,
	ORDERS,
	PAGE_VS_ME,
	PAGE_VS_ORDERS,
	PING,
	at_most,
	has_target,
	json_holds,
	page_queries,
	page_vs_me,
	page_vs_orders,
	scale_ratio,
	scales,
)

SECTION = "verdicts"
RUN = {
	"http": "`scripts/bench`",
	"load": "`scripts/bench --load`, or `scripts/load-test`",
	"load-100": "`scripts/bench --load`, or `scripts/load-test --users 100 --section load-100`",
}


def yes_no(ok):
	return "yes" if ok else "**no**"


def not_measured(section):
	return f"not measured (run {RUN[section]})"


def lines_of(size):
	return f"{size['lines']:,} lines"


def ms(value):
	"""A time as measured: locust's are whole milliseconds, the HTTP benchmark's have one decimal."""
	if value is None:
		return "-"
	return f"{value:,.0f} ms" if value == int(value) else f"{value:,.1f} ms"


def span(values, unit="x"):
	"""The range of some figures: "0.92-1.10x"."""
	if not values:
		return "none timed"
	low, high = min(values), max(values)
	if unit == "x":
		return f"{low:.2f}x" if low == high else f"{low:.2f}-{high:.2f}x"
	return f"{low:,.0f} {unit}" if low == high else f"{low:,.0f}-{high:,.0f} {unit}"


def p95_ratio(url, reference):
	"""A URL's p95 as a multiple of its reference's."""
	return url["p95"] / reference


# Per size, each URL of a kind against a reference of the same size (None: no reference):
# (target, kind, reference label, holds(url, reference p95), figure(url, reference p95), unit)
PER_SIZE = (
	(
		f"every page's p95 ≤ {PAGE_VS_ME}x Frappe's `/me`, at each size",
		"page",
		ME,
		lambda url, ref: page_vs_me(url["p95"], ref),
		p95_ratio,
		"x",
	),
	(
		f"every page's p95 ≤ {PAGE_VS_ORDERS}x ERPNext's `/orders`, at each size",
		"page",
		ORDERS,
		lambda url, ref: page_vs_orders(url["p95"], ref),
		p95_ratio,
		"x",
	),
	(
		f"every JSON method's p95 ≤ {JSON_VS_PING}x ping, at each size",
		"json",
		PING,
		lambda url, ref: json_holds(url["p95"], ref),
		p95_ratio,
		"x",
	),
	(
		f"every page ≤ {MAX_PAGE_QUERIES} SQL queries (issue 14), at each size",
		"page",
		None,
		lambda url, _ref: page_queries(url["queries"]),
		lambda url, _ref: url["queries"] or 0,
		"queries",
	),
)


SCALING_TARGET = (
	f"every URL's p95 at the largest size ≤ {LARGEST_VS_SMALLEST}x at the smallest, the same SQL query count"
)
ANSWERED_TARGET = "every timed request of the app's URLs answered 200"


def figure_text(value, unit):
	return f"{value:.2f}x" if unit == "x" else f"{value:,.0f} {unit}"


def size_verdict(size, kind, reference, holds, figure, unit):
	"""(holds at this size, its text): how many URLs of the kind hold, the range, the misses named."""
	urls = [url for url in size["urls"] if url["kind"] == kind]
	refused = [url for url in size.get("refused") or [] if url.get("kind") == kind]
	ref = None
	if reference:
		ref = next((url["p95"] for url in size["urls"] if url["label"] == reference), None)
		if not ref:
			return False, f"{lines_of(size)}: {reference} not timed"
	held = [url for url in urls if url["p95"] is not None and holds(url, ref)]
	timed = [url for url in urls if url["p95"] is not None]
	text = f"{lines_of(size)}: {len(held)} of {len(urls) + len(refused)} ({span([figure(u, ref) for u in timed], unit)})"
	misses = [f"{url['label']} {figure_text(figure(url, ref), unit)}" for url in timed if url not in held]
	misses += [f"{url['label']} not timed" for url in urls if url["p95"] is None]
	misses += [f"{url['label']} not timed (HTTP {url['status']})" for url in refused]
	if misses:
		text += ", misses: " + ", ".join(misses)
	return not misses, text


def per_size_row(http, target, kind, reference, holds, figure, unit):
	verdicts = [size_verdict(size, kind, reference, holds, figure, unit) for size in http["sizes"]]
	ok = all(held for held, _t in verdicts)
	return target, yes_no(ok), "; ".join(text for _h, text in verdicts)


def scale_miss(url, large):
	"""Why a URL misses the scaling target, or None when it holds."""
	if large is None or large["p95"] is None:
		return f"{url['label']} not timed at the largest size"
	if scales(url["p95"], large["p95"], url["queries"], large["queries"]):
		return None
	ratio = scale_ratio(url["p95"], large["p95"])
	text = (
		f"{url['label']} {ms(url['p95'])} → {ms(large['p95'])} ({'-' if ratio is None else f'{ratio:.2f}'}x)"
	)
	if url["queries"] != large["queries"]:
		text += f", SQL queries {url['queries']} → {large['queries']}"
	return text


def scaling_row(http):
	target = SCALING_TARGET
	sizes = sorted(http["sizes"], key=lambda size: size["lines"])
	if len(sizes) < 2:
		return target, "not measured (run `scripts/bench` with two sizes or more)", "-"
	small, large = sizes[0], sizes[-1]
	by_label = {url["label"]: url for url in large["urls"]}
	urls = [url for url in small["urls"] if has_target(url["kind"])]
	misses = [miss for miss in (scale_miss(url, by_label.get(url["label"])) for url in urls) if miss]
	ratios = [
		scale_ratio(url["p95"], by_label[url["label"]]["p95"]) for url in urls if url["label"] in by_label
	]
	text = (
		f"{lines_of(small)} → {lines_of(large)}: {len(urls) - len(misses)} of {len(urls)} "
		f"({span([r for r in ratios if r is not None])})"
	)
	if misses:
		text += ", misses: " + "; ".join(misses)
	return target, yes_no(not misses), text


def answered_row(http):
	"""Not a target of its own, but a p95 is taken over the answers 200 only."""
	failed = [
		f"{url['label']} at {lines_of(size)}: {url['errors']} of {url['n'] + url['errors']}"
		for size in http["sizes"]
		for url in size["urls"]
		if has_target(url["kind"]) and url.get("errors")
	]
	text = "every one" if not failed else "not answered 200: " + "; ".join(failed)
	return ANSWERED_TARGET, yes_no(not failed), text


def http_rows(http):
	target_texts = [entry[0] for entry in PER_SIZE] + [
		SCALING_TARGET,
		ANSWERED_TARGET,
	]
	if http is None:
		return [(target, not_measured("http"), "-") for target in target_texts]
	rows = [per_size_row(http, *entry) for entry in PER_SIZE]
	return [*rows, scaling_row(http), answered_row(http)]


def load_summary(load):
	return (
		f"{load['users']} users, {load['duration']}: {load['requests']:,} requests, "
		f"{load['requests_per_s'] or 0:,.1f} a second, p50 / p95 {ms(load['p50'])} / {ms(load['p95'])}, "
		f"{load['failures']:,} failures, consistent {'yes' if load['consistent'] else '**no**'}"
	)


def cpu_text(load):
	per_return = (
		f", {load['worker_cpu_ms_per_return']:,.0f} ms a return filed ({load['returns_filed']:,} filed)"
		if load.get("worker_cpu_ms_per_return") is not None
		else f", {load.get('returns_filed') or 0} returns filed"
	)
	return (
		f"{ms(load['cpu_ms_per_request'])} a request: the web server {ms(load['web_cpu_ms_per_request'])}, "
		f"the RQ worker {ms(load['worker_cpu_ms_per_request'])}{per_return}"
	)


def first_page_text(load):
	return (
		f"a user's first {ms(load['first_new_p50'])} against {ms(load['later_new_p50'])} for the later ones, "
		f"at the median: {load['first_vs_later']:.1f}x"
	)


def load_rows(load):
	p95_target = f"load, 50 users: p95 over all requests ≤ {LOAD_P95_MS} ms"
	cpu_target = f"load, 50 users: ≤ {LOAD_CPU_MS} ms of server CPU a request"
	first_target = f"load, 50 users: a user's first `/rma/new` ≤ {FIRST_VS_LATER}x the later ones (median)"
	if load is None:
		return [(target, not_measured("load"), "-") for target in (p95_target, cpu_target, first_target)]
	rows = [(p95_target, yes_no(at_most(load["p95"], LOAD_P95_MS)), load_summary(load))]
	if load.get("cpu_ms_per_request") is None:
		rows.append((cpu_target, "not measured (the load test gave no server CPU)", "-"))
	else:
		rows.append((cpu_target, yes_no(at_most(load["cpu_ms_per_request"], LOAD_CPU_MS)), cpu_text(load)))
	if load.get("first_vs_later") is None:
		rows.append((first_target, "not measured (no first and later `/rma/new` in the run)", "-"))
	else:
		rows.append(
			(first_target, yes_no(at_most(load["first_vs_later"], FIRST_VS_LATER)), first_page_text(load))
		)
	return rows


def load_100_rows(load):
	target = "load, 100 users: 0 failures and the consistency check clean"
	if load is None:
		return [(target, not_measured("load-100"), "-")]
	ok = load["requests"] > 0 and load["failures"] == 0 and load["consistent"]
	return [(target, yes_no(ok), load_summary(load))]


def source_text(name, data, document):
	if data is None and section_text(document, name) is None:
		return f"`{name}` (none yet)"
	if data is None:
		return f"`{name}` (without its figures: written before the sections carried them)"
	only = (
		"; only the URLs with " + " or ".join(f'"{word}"' for word in data["only"])
		if data.get("only")
		else ""
	)
	return f"`{name}` of {data.get('generated')} ({data.get('code')}; load at the start {data.get('load_start')}{only})"


def verdicts_text(document):
	"""The section's markdown: where the figures come from, the table, how many targets hold."""
	data = {name: section_data(document, name) for name in ("http", "load", "load-100")}
	rows = http_rows(data["http"]) + load_rows(data["load"]) + load_100_rows(data["load-100"])
	out = [
		"## The verdicts of issue 27's targets",
		"",
		"Generated by `benchmarks/verdicts.py` (the end of `scripts/bench`) from the figures of the sections "
		+ ", ".join(source_text(name, value, document) for name, value in data.items())
		+ ". The ratios are measured side by side in one run; the absolute figures are this machine's.",
		"",
		"| target | holds? | measured |",
		"| --- | --- | --- |",
	]
	out += [f"| {target} | {holds} | {measured} |" for target, holds, measured in rows]
	measured = [holds for _t, holds, _m in rows if not holds.startswith("not measured")]
	out += [
		"",
		f"Targets holding: {measured.count('yes')} of {len(rows)}"
		+ (f" ({len(rows) - len(measured)} not measured)." if len(measured) < len(rows) else "."),
	]
	return "\n".join(out)


def main():
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--out", default="benchmarks/RESULTS.md", help="the results file, read and written")
	args = parser.parse_args()
	with open(args.out) as f:
		text = verdicts_text(f.read())
	# a new section goes first, before the notes written by hand
	write_section(args.out, SECTION, text, before="## ")
	print(text)


if __name__ == "__main__":
	main()
