"""Write the "Install on a large history" section of benchmarks/RESULTS.md (scripts/bench-install):
the site's size, the time of `bench install-app rma_portal` on it and what the history fill printed.
Any Python 3; replaces the section when it is there, else appends it (other sections are untouched)."""

import argparse
import datetime
import re
from pathlib import Path

TITLE = "## Install on a large history"
KEEP_LINES = 60  # of the fill's progress output; the middle is cut beyond it


def fill_output(log: str) -> list[str]:
	"""The history fill's lines of the install output (Frappe's progress bars are left out)."""
	lines = re.split(r"[\r\n]+", log)
	return [
		line.rstrip()
		for line in lines
		if line.startswith("Filling ") or re.match(r"  [a-z ]+: [\d,]+/", line)
	]


def shortened(lines: list[str]) -> list[str]:
	if len(lines) <= KEEP_LINES:
		return lines
	half = KEEP_LINES // 2
	return [*lines[:half], f"  ... ({len(lines) - KEEP_LINES} lines left out) ...", *lines[-half:]]


def seconds(text: str) -> str:
	if not text:
		return "(history kept from an earlier run)"
	value = float(text)
	return f"{value:.0f} s" if value < 120 else f"{value / 60:.1f} min ({value:.0f} s)"


def section(args, output: list[str]) -> str:
	now = datetime.datetime.now(datetime.timezone.utc).strftime("%d %B %Y, %H:%M UTC")
	rows = [
		(
			"History on the site",
			f"{int(args.lines):,} delivered lines of {args.customers} customers (submitted Delivery Notes, with their Sales Orders, Sales Invoices and payments)",
		),
		("Made by cloning the demo dealer's documents", seconds(args.history_seconds)),
		("`bench --site S uninstall-app rma_portal`", seconds(args.uninstall_seconds)),
		(
			"**`bench --site S install-app rma_portal`**",
			f"**{seconds(args.install_seconds)}** (DocTypes, fixtures, then the history fill)",
		),
		(
			"RMA Delivered Line after the install",
			f"{int(args.filled_lines):,} rows of {args.filled_customers} customers",
		),
		("Machine", f"{args.cores} cores, load {args.load} (before / after)"),
	]
	table = "\n".join(f"| {name} | {value} |" for name, value in rows)
	body = "\n".join(shortened(output)) or "(no fill output found in the install log)"
	return f"""{TITLE}

Run of {now} by `scripts/bench-install` (issue 30): a scratch site with ERPNext and a history of many
customers, the app uninstalled (its tables dropped, ERPNext's documents kept), then installed again.
The install's `after_install` fills the app's three history tables (delivered lines, items bought,
open order lines) per customer in committed batches of about 20,000 document lines
(`rma_portal/services/history/fill.py`); an interrupted install, run again, resumes after the last
committed batch.

| | |
| --- | --- |
{table}

What the install printed of the fill (one line a committed batch):

```
{body}
```
"""


def write(out: Path, text: str):
	old = out.read_text() if out.exists() else "# Benchmark results\n"
	start = old.find(TITLE + "\n")
	if start < 0:
		new = old.rstrip("\n") + "\n\n" + text
	else:
		following = re.search(r"^## ", old[start + len(TITLE) :], flags=re.M)
		end = start + len(TITLE) + following.start() if following else len(old)
		new = old[:start] + text + ("\n" + old[end:] if following else "")
	out.write_text(new)


def main():
	parser = argparse.ArgumentParser()
	for name in (
		"out",
		"log",
		"customers",
		"lines",
		"install-seconds",
		"uninstall-seconds",
		"history-seconds",
		"filled-customers",
		"filled-lines",
		"load",
		"cores",
	):
		parser.add_argument(f"--{name}", default="")
	args = parser.parse_args()
	output = fill_output(Path(args.log).read_text(errors="replace"))
	write(Path(args.out), section(args, output))


if __name__ == "__main__":
	main()
