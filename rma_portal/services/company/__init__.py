"""The customer company and its people (SPEC §4): the company authorisation that makes its
administrator (authorisations), members and their rights (members), invitations accepted not imposed
(invitations), the address book (addresses) and portal users' Contacts (contacts).

Enters from: api/company.py, www/company/, the Company Authorisation and Company Member DocTypes.
Jobs: invitations.expire_invitations (scheduler, daily).
"""
