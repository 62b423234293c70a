"""CPU of one return's documents job, cold and warm (issue 27's load test: each return filed runs one).

RQ forks a new process for every job, so a worker pays each job's imports, Jinja environment,
compiled cssutils patterns and caches again. Each run here is a fresh process (the site initialised
and connected, as the forked job is) that runs the job
(`documents.make_documents_and_confirm`: the return form and label PDF, the confirmation e-mail
queued) for the RMA given and rolls it back, then runs it again in the same process (warm). Printed:
the process's CPU (RUSAGE_SELF) and its children's (wkhtmltopdf, RUSAGE_CHILDREN) in ms. The RMA's
stored documents are unlinked first by plain SQL in the same transaction, so that the job builds
them as for a new return (nothing stays written).
`--profile` writes cProfile's top entries of each process's cold job, by cumulative time.

    cd /opt/frappe-bench/sites && ../env/bin/python /path/to/benchmarks/load/documents_job_cpu.py \\
        --site rma.localhost --rma RMA/00565/SR/2026 [--runs 3] [--profile]
"""

import argparse
import cProfile
import io
import pstats
import resource
import statistics
import subprocess
import sys


def cpu_ms() -> tuple[float, float]:
	"""(this process, its finished children) CPU so far, user + system, in ms."""
	own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
	return 1000 * (own.ru_utime + own.ru_stime), 1000 * (children.ru_utime + children.ru_stime)


def one_process(site: str, rma: str, profile: bool) -> None:
	"""Run the job cold then warm in this process; print `own children own children` (ms)."""
	import frappe

	frappe.init(site=site)
	frappe.connect()
	frappe.set_user("Administrator")
	from rma_portal.services.returns import documents

	figures = []
	for warm in (False, True):
		_as_new(rma)
		profiler = cProfile.Profile() if profile and not warm else None
		before = cpu_ms()
		if profiler:
			profiler.enable()
		documents.make_documents_and_confirm(rma)
		if profiler:
			profiler.disable()
		after = cpu_ms()
		frappe.db.rollback()
		figures += [after[0] - before[0], after[1] - before[1]]
		if profiler:
			out = io.StringIO()
			pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
			print(out.getvalue(), file=sys.stderr)
	frappe.destroy()
	print(" ".join(f"{value:.0f}" for value in figures))


def _as_new(rma: str) -> None:
	"""The RMA as the job finds a new one: no documents linked (plain SQL: no controller is loaded)."""
	import frappe

	frappe.db.sql("update `tabRMA` set documents = null where name = %s", rma)
	frappe.db.sql(
		"update `tabFile` set attached_to_field = null where attached_to_doctype = 'RMA' and attached_to_name = %s",
		rma,
	)


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--rma", required=True)
	parser.add_argument("--runs", type=int, default=3)
	parser.add_argument("--profile", action="store_true")
	parser.add_argument("--one-process", action="store_true", help=argparse.SUPPRESS)
	args = parser.parse_args()
	if args.one_process:
		one_process(args.site, args.rma, args.profile)
		return
	runs = []
	for _ in range(args.runs):
		command = [sys.executable, __file__, "--site", args.site, "--rma", args.rma, "--one-process"]
		output = subprocess.run(
			command + (["--profile"] if args.profile else []), capture_output=True, text=True, check=True
		)
		if args.profile:
			print(output.stderr)
		runs.append([float(value) for value in output.stdout.split()[-4:]])
		print("cold {:.0f} + {:.0f} ms, warm {:.0f} + {:.0f} ms (own + wkhtmltopdf)".format(*runs[-1]))
	medians = [statistics.median(run[i] for run in runs) for i in range(4)]
	print(
		"median of {} processes: cold {:.0f} + {:.0f} ms, warm {:.0f} + {:.0f} ms".format(len(runs), *medians)
	)


if __name__ == "__main__":
	main()
