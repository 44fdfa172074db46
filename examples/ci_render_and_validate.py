"""A CI step: render dashboard definitions and fail the build if any is invalid.

    python examples/ci_render_and_validate.py [DEFINITION ...] [--out build/]

With no definitions it renders the built-in Pipecat and LiveKit dashboards. It uses only the
library API, so it is also a template for your own checks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import signoz_dac
from signoz_dac.errors import InputError
from signoz_dac.resources import builtin_definitions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("definitions", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build"))
    args = parser.parse_args(argv)

    failed = 0
    rendered = []
    for path in args.definitions or builtin_definitions():
        try:
            body = signoz_dac.render(signoz_dac.load_definition(path))  # validated against SigNoz's rules
        except InputError as exc:
            print(f"FAIL {exc}", file=sys.stderr)
            failed += 1
            continue
        rendered.append(body)
        print(f"ok   {path}: {body['name']} ({len(body['spec']['panels'])} panels)")
    if failed:
        print(f"{failed} definition(s) invalid; nothing written", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for body in rendered:
        (args.out / f"{body['name']}.json").write_text(signoz_dac.dump(body), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
