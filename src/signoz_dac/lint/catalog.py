"""What a telemetry profile emits, from its catalog file (`profiles/catalog/<profile.catalog>`).

The catalogs are generated from spans captured from the real frameworks:
`{"framework", "version", "spans": {span: {attr: "string"|"number"|"bool"}}, "resource": {key: type}}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Catalog:
    profile: str
    spans: dict[str, dict[str, str]]
    resource: dict[str, str] = field(default_factory=dict)
    version: str = ""

    @classmethod
    def from_dict(cls, profile: str, data: dict[str, Any]) -> Catalog:
        spans = {str(name): dict(attrs or {}) for name, attrs in (data.get("spans") or {}).items()}
        return cls(profile, spans, dict(data.get("resource") or {}), str(data.get("version") or ""))

    def attributes(self, span_names: set[str] | None = None) -> set[str]:
        """Attribute keys on the given spans (all spans when None)."""
        names = self.spans.keys() if span_names is None else span_names & self.spans.keys()
        return {key for name in names for key in self.spans[name]}


class CatalogUnavailable(LookupError):
    """The profile is known but its catalog file has not been generated yet."""


def catalog_path(profile: str) -> Path:
    from signoz_dac import profiles  # lazy: keeps `lint` importable on its own

    spec = profiles.get_profile(profile)  # KeyError names the known profiles
    return Path(profiles.__file__).resolve().parent / "catalog" / spec.catalog


def load_catalog(profile: str) -> Catalog:
    path = catalog_path(profile)
    if not path.is_file():
        raise CatalogUnavailable(f"no span catalog for profile {profile!r} yet ({path.name} is missing)")
    return Catalog.from_dict(profile, json.loads(path.read_text(encoding="utf-8")))
