"""Existing sites: the app's portal pages first in the menu, ERPNext's items a dealer never uses off
(new sites get the same on install). Runs once, so items staff switch on again stay on."""

from rma_portal.services.portal import portal_menu


def execute():
	portal_menu.set_up_menu()
