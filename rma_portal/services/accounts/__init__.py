"""New dealers (SPEC §3): guest registration and activation (registration, registration_limits;
Frappe's hourly limit on new users is said by shared/new_users), dealer account requests and the staff's
decision (account_requests), and where a new account stands (onboarding).

Enters from: api/registration.py, api/account_requests.py, www/register/, www/account-requests/,
www/welcome/, the Dealer Account Request DocType, the sign-up override.
"""
