"""What a customer sees when a page is not theirs (issue 22): the portal's own not-found page, with
the way back to the overview and no "Uncaught Server Exception", and a footer without the
newsletter sign-up. Screenshots: error_page_*.png."""

from portal import screenshot


def test_another_customers_ticket_is_a_clean_not_found_page(dealer_page, second_page):
	# a ticket of the second dealer, read from the second dealer's own list
	second_page.goto("/portal/tickets")
	link = second_page.locator("a[href*='/portal/tickets/view?name=']").first
	other = link.get_attribute("href") if link.count() else "/portal/tickets/view?name=ISS-NONE"
	response = dealer_page.goto(other)
	assert response.status == 404
	assert dealer_page.locator("h3", has_text="Not found").is_visible()
	body = dealer_page.content()
	assert "Uncaught Server Exception" not in body and "Error Code" not in body
	back = dealer_page.locator(".rma-error-page a.btn-primary")
	assert back.get_attribute("href") == "/portal"
	screenshot(dealer_page, "error_page_other_ticket")
	back.click()
	dealer_page.wait_for_url("**/portal")


def test_an_unknown_page_and_a_generic_document_page_look_the_same(dealer_page, guest_page):
	for page, path, name in (
		(dealer_page, "/no-such-page", "error_page_unknown_dealer"),
		(dealer_page, "/quotation/SAL-QTN-0000", "error_page_generic_route_dealer"),
		(guest_page, "/issue/ISS-0000", "error_page_generic_route_guest"),
	):
		response = page.goto(path)
		assert response.status == 404, path
		assert page.locator(".rma-error-page h3").inner_text().strip()
		assert "Uncaught Server Exception" not in page.content()
		screenshot(page, name)


def test_the_footer_has_no_newsletter_sign_up(dealer_page):
	dealer_page.goto("/portal")
	assert dealer_page.get_by_text("Get Updates").count() == 0
	dealer_page.locator("footer").scroll_into_view_if_needed()
	screenshot(dealer_page, "error_page_footer_portal")
