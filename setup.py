# Shim for tooling that does not read pyproject.toml yet; the metadata lives there.
from setuptools import setup

setup()
