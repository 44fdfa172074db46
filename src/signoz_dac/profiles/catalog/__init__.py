"""What each pinned framework version really emits: span names, attribute keys and their SigNoz types.

Generated from spans captured from the real frameworks (tests/telemetry/capture/catalog.py), one
JSON file per profile catalog (`Profile.catalog`). Types are SigNoz's: "string", "number", "bool";
a key seen with two types lists both, joined by "|" (SigNoz then stores it under both maps).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

CatalogData = dict[str, Any]


@cache
def load_catalog(filename: str) -> CatalogData:
    """The catalog file named by a profile, e.g. `load_catalog(PIPECAT.catalog)`."""
    text = resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")
    return json.loads(text)


def attribute_types(catalog: CatalogData, span: str, attribute: str) -> set[str]:
    """The SigNoz types `attribute` has on spans named `span`; empty if it never appears there."""
    found = catalog["spans"].get(span, {}).get(attribute)
    return set(found.split("|")) if found else set()


__all__ = ["CatalogData", "attribute_types", "load_catalog"]
