"""What the app adds to ERPNext's DocTypes and roles, in one place for install and uninstall."""

# role name -> desk access
ROLES = {
	"RMA Manager": 1,  # returns / service staff in the desk
}


def custom_fields() -> dict:
	return {
		"Brand": [
			{
				"fieldname": "rma_serial_no_required",
				"label": "Serial No Required for RMA",
				"fieldtype": "Check",
				"insert_after": "description",
				"description": "Service requests for this brand's items must name a serial number.",
			},
		],
	}
