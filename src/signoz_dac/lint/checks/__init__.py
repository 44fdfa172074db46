"""The lint checks, one module per concern. Importing this package registers them all."""

from signoz_dac.lint.checks import (  # noqa: F401  (imported for their registrations)
    clickhouse,
    fields,
    formulas,
    profile,
    schema,
    syntax,
    titles,
    ui,
    units,
    variables,
)
