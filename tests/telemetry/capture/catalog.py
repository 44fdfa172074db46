"""Build a profile's attribute catalog from a capture: which span names exist, with which keys and types.

usage: python tests/telemetry/capture/catalog.py CAPTURE.json[.gz] [...] [--out-dir DIR]

The catalog says what SigNoz will see: its exporter files int and float values under
`attributes_number`, bools under `attributes_bool`, and strings and lists (serialised) under
`attributes_string`. A key that arrives with two types (e.g. a request parameter that is sometimes
the string "NOT_GIVEN") exists twice in SigNoz; the catalog then lists both types, joined by "|".
Pure Python, no framework imports: the tests rebuild catalogs with it and compare.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
CATALOG_DIR = REPO / "src" / "signoz_dac" / "profiles" / "catalog"


def signoz_type(value: Any) -> str:
    if isinstance(value, bool):  # before int: bool is an int in Python
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "string"  # str, and lists, which SigNoz stores as their JSON text


def _merge(types: dict[str, set[str]], attrs: dict[str, Any]) -> None:
    for key, value in attrs.items():
        types.setdefault(key, set()).add(signoz_type(value))


def build_catalog(capture: dict[str, Any]) -> dict[str, Any]:
    spans: dict[str, dict[str, set[str]]] = {}
    resource: dict[str, set[str]] = {}
    for span in capture["spans"]:
        _merge(spans.setdefault(span["name"], {}), span["attributes"])
        _merge(resource, span["resource"])

    def flat(types: dict[str, set[str]]) -> dict[str, str]:
        return {k: "|".join(sorted(v)) for k, v in sorted(types.items())}

    return {
        "framework": capture["framework"],
        "version": capture["version"],
        "spans": {name: flat(types) for name, types in sorted(spans.items())},
        "resource": flat(resource),
    }


def catalog_name(capture: dict[str, Any]) -> str:
    short = {"pipecat-ai": "pipecat", "livekit-agents": "livekit"}[capture["framework"]]
    return f"{short}-{capture['version']}.json"


def render(catalog: dict[str, Any]) -> str:
    return json.dumps(catalog, indent=2, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("captures", nargs="+", type=Path)
    ap.add_argument("--out-dir", type=Path, default=CATALOG_DIR)
    args = ap.parse_args(argv)
    for path in args.captures:
        data = path.read_bytes()
        capture = json.loads(gzip.decompress(data) if path.suffix == ".gz" else data)
        out = args.out_dir / catalog_name(capture)
        out.write_text(render(build_catalog(capture)))
        print(f"{path} -> {out}")


if __name__ == "__main__":
    main()
