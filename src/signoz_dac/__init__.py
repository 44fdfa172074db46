"""signoz-dac: dashboards as code for SigNoz.

Library use (e.g. in CI):

    import signoz_dac
    dashboard = signoz_dac.load_definition(signoz_dac.builtin_definition("pipecat"))  # or your own file
    body = signoz_dac.render(dashboard)          # a validated SigNoz v6 body, ready to POST
    text = signoz_dac.dump(body)                 # byte-stable JSON text for a file
    rules = signoz_dac.render_alerts(dashboard)  # its validated alert rules (POST /api/v2/rules bodies)
    old = signoz_dac.render_v5(dashboard)        # the v5 JSON SigNoz 0.92-0.134 reads (POST /api/v1/dashboards)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from signoz_dac.version import __version__

# Imported on first use, so `import signoz_dac` (and the CLI's start-up) stays fast.
_LAZY = {
    "load_definition": "signoz_dac.definitions",
    "Dashboard": "signoz_dac.definitions",
    "render": "signoz_dac.render",
    "render_v5": "signoz_dac.render.v5",
    "dump": "signoz_dac.render",
    "render_alerts": "signoz_dac.render.alerts",
    "profiles": "signoz_dac.profiles",
    "definitions": "signoz_dac.definitions",
    "builtin_definition": "signoz_dac.resources",
    # Subpackages the README names as `signoz_dac.preview.preview_html` and `signoz_dac.testing.SigNozEmulator`.
    "preview": "signoz_dac.preview",
    "testing": "signoz_dac.testing",
}

if TYPE_CHECKING:
    from signoz_dac import definitions, preview, profiles, testing
    from signoz_dac.definitions import Dashboard, load_definition
    from signoz_dac.render import dump, render
    from signoz_dac.render.alerts import render_alerts
    from signoz_dac.render.v5 import render_v5
    from signoz_dac.resources import builtin_definition


if not TYPE_CHECKING:
    # Hidden from type checkers, which see the imports above instead: a module-level `__getattr__`
    # would let a user's mypy accept any misspelt name (`signoz_dac.rendr`) as Any.
    def __getattr__(name: str) -> object:
        if name not in _LAZY:
            raise AttributeError(f"module 'signoz_dac' has no attribute {name!r}")
        import importlib

        module = importlib.import_module(_LAZY[name])
        return module if module.__name__.endswith(f".{name}") else getattr(module, name)


__all__ = ["Dashboard", "builtin_definition", "definitions", "dump", "load_definition", "preview", "profiles", "render",
           "render_alerts", "render_v5", "testing", "__version__"]
