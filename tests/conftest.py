"""Put the repository root on sys.path so the domain layer imports without installing the app or Frappe."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
	sys.path.insert(0, str(ROOT))
