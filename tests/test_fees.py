from rma_portal.domain.fees import converted, split_fee


def test_net_fee_gets_vat_added():
	assert split_fee(2.5, [21.0], gross=False) == (2.5, [0.53])


def test_gross_fee_is_split_and_adds_up_exactly():
	net, vats = split_fee(2.5, [21.0], gross=True)
	assert (net, vats) == (2.07, [0.43])
	assert round(net + sum(vats), 2) == 2.5


def test_gross_fee_over_two_rates_adds_up():
	net, vats = split_fee(10, [21.0, 9.0], gross=True)
	assert round(net + sum(vats), 2) == 10
	assert vats == [round(7.69 * 0.21, 2), round(7.69 * 0.09, 2)]


def test_no_vat_for_a_reverse_charge_invoice():
	assert split_fee(2.5, [], gross=True) == (2.5, [])
	assert split_fee(2.5, [], gross=False) == (2.5, [])


def test_fee_converted_from_company_currency():
	# 2.50 EUR on a USD credit note at 1 USD = 0.9 EUR
	assert converted(2.5, 0.9) == 2.78
	assert converted(2.5, 1) == 2.5
	assert converted(1000, 0.0075, precision=0) == 133333
