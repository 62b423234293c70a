"""Small helpers every capability uses: parameterised SQL and paging (query), RMA Settings with
defaults (settings), private files per document (files), customer-typed text kept plain
(plain_text; a validate doc_event), e-mail through Frappe's queue (notify), background
jobs started once the transaction commits (jobs), status-history notes in
the reader's language (history_notes), the conversation on a request or claim (conversation), and
Frappe's hourly limit on new users said before it is hit (new_users: registration, account requests
and invitations all make users), and the app's authority for the ERPNext documents the staff's desk
actions make (app_rights: receive, credit, ship).
Nothing here imports another capability's package.
"""
