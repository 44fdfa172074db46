"""v5 dashboard JSON (SigNoz 0.92-0.134) -> the v6 body SigNoz's own conversion makes of it.

The conversion is a SigNoz fact and lives with SigNoz's v5 shape in `signoz_dac.signoz.v5`; the
importer reads v5 input through this name.
"""

from signoz_dac.signoz.v5 import convert_v5_to_v6

__all__ = ["convert_v5_to_v6"]
