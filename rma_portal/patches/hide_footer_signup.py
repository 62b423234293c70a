"""Existing sites: the footer's newsletter sign-up ("Get Updates") off (new sites get the same on
install). Runs once, so a sign-up staff switch on again stays on."""

from rma_portal.services.portal import portal_menu


def execute():
	portal_menu.hide_footer_signup()
