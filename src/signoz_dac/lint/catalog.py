"""What a telemetry profile emits, from its catalog file (`profiles/catalog/<profile.catalog>`).

The catalogs are generated from spans captured from the real frameworks:
`{"framework", "version", "spans": {span: {attr: "string"|"number"|"bool"}}, "resource": {key: type}}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


def load_catalog(profile: str) -> Catalog:
    """The catalog shipped for a profile (KeyError names the known profiles)."""
    from signoz_dac import profiles  # lazy: keeps `lint` importable on its own
    from signoz_dac.profiles.catalog import load_catalog as load_file

    found = profiles.get_profile(profile)
    data = load_file(found.catalog)
    if found.also_emits:  # names the offline captures cannot produce, from the profile
        spans = {name: dict(attrs) for name, attrs in data["spans"].items()}
        for span, attrs in found.also_emits.items():
            spans.setdefault(span, {}).update(attrs)
        data = {**data, "spans": spans}
    return Catalog.from_dict(profile, data)
