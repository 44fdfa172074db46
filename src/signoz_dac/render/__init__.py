"""Render definitions into SigNoz v6 dashboard bodies.

`signoz_dac.render(dashboard)` is the library's entry point, and `signoz_dac.render` is also this
package: once Python imports the package it takes that attribute, so the package itself is made
callable and forwards to `pipeline.render`.
"""

import sys
import types
from typing import Any

from signoz_dac.render.pipeline import dump, render


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["dump", "render"]
