"""The OpenAPI document kept in the repository (docs/openapi.json) is a valid OpenAPI 3.1 document
with the error answers and the key's security scheme on every operation. That it equals what the code
generates is rma_portal/tests/test_openapi.py (it needs Frappe)."""

import json
from pathlib import Path

from openapi_spec_validator import validate

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def load() -> dict:
	return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def test_the_document_is_valid_openapi_3_1():
	document = load()
	assert document["openapi"].startswith("3.1")
	validate(document)


def test_every_operation_names_its_right_and_the_error_answers():
	operations = [op for item in load()["paths"].values() for op in item.values()]
	assert len(operations) > 40
	for op in operations:
		assert op["x-rma-right"], op["operationId"]
		assert {"401", "403", "417", "429"} <= set(op["responses"]), op["operationId"]
		assert "Needs:" in op["description"], op["operationId"]


def test_the_error_answer_names_the_field():
	error = load()["components"]["schemas"]["Error"]
	assert "_server_messages" in error["properties"]
	assert "names" in error["description"] and "field" in error["description"]


def test_paging_is_described():
	pages = [
		param
		for item in load()["paths"].values()
		for op in item.values()
		for param in op.get("parameters", [])
		if param["name"] == "page"
	]
	assert pages and all("Page number" in param["description"] for param in pages)
