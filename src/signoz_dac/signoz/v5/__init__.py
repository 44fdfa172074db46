"""SigNoz's v5 dashboard JSON (what SigNoz 0.92-0.134 stores and its UI reads), one concern per
module:

- vocabulary.py  the v5 words (panel types, operators, sorts, ...) and their v6 counterparts
- shape.py       the JSON type of every field the conversion reads ("malformed" fields)
- read.py        reading checked values (`null` reads as the zero value)
- durations.py   seconds <-> Go and Prometheus duration strings
- queries.py     a widget's query -> the v6 panel query (with the v4 leftovers the migration reads)
- panels.py      widgets -> v6 panels
- layouts.py     layout, rows and panelMap -> v6 Grid layouts
- variables.py   the variables map -> v6 variables
- convert.py     the whole dashboard: `convert_v5_to_v6`
- checks.py      what the v5 UI needs of a dashboard, or it breaks (`ui_problems`)
- write.py       the other way: our v6 body -> v5 JSON (`to_v5`, `not_carried`); imported on its own

Use:
    body = convert_v5_to_v6(v5, source="old.json")   # the v6 body, or SchemaError with JSON paths
    problems = ui_problems(v5)                       # [] when the v5 UI can show it
"""

from .checks import ui_problems
from .convert import convert_v5_to_v6, name_from_title

__all__ = ["convert_v5_to_v6", "name_from_title", "ui_problems"]
