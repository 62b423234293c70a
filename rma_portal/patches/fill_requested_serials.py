"""Existing sites: "is this serial in another open request" (receiving by scan, service requests) is
read from the table of requested serials from now on; fill it from the open RMAs' lines
(services/returns/requested_serials.py)."""

from rma_portal.services.returns import requested_serials


def execute():
	requested_serials.rebuild()
