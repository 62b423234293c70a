"""Tables the app keeps from ERPNext's documents so that the portal reads a page, not a history:
delivered lines (return candidates), items each customer bought, open order lines, and the list
indexes a DocType cannot declare. Each has rebuild() to write it again from ERPNext's documents.

doc_events: Delivery Note, Sales Invoice and Sales Order submit/cancel/change (hooks.py).
Filled on install (install.py) and by patches on existing sites.
"""
