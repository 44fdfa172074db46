"""Generic definitions: any SigNoz panel and variable, written as friendly YAML.

- style.py      what options left unset are written as (`style:`), and `omit`
- model.py      the base model, `option(body=...)`, and `resolve`
- fields.py     telemetry field keys and orders (`resource.service.name:string`, `timestamp desc`)
- queries.py    builder queries, formulas, trace operators, PromQL and ClickHouse SQL entries
- panels.py     the `query`, `sql` and `promql` panels and their display options per panel kind
- variables.py  list-variable options, and the `query` and `custom` variables
"""
