"""The local stand-in for SigNoz's ClickHouse: spans loaded into SigNoz's trace tables in chDB.

chDB is an optional extra (`pip install 'signoz-dac[preview]'`); `Engine.start` returns None
without it, and the preview then draws the layout with empty panels. One engine at a time per
process (chDB runs one embedded server); use it as a context manager.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signoz_dac.errors import InputError
from signoz_dac.preview.errors import QueryFailed, clickhouse_message
from signoz_dac.preview.fields import FieldCatalog
from signoz_dac.preview.query import TimeRange
from signoz_dac.preview.schema import INDEX_TABLE
from signoz_dac.preview.spans import EARLIEST_NS, bulk_format, first_bad_line, read_spans

INSTALL_HINT = "pip install 'signoz-dac[preview]'"


@dataclass(frozen=True)
class Reads:
    """What ClickHouse SQL may read beyond the columns builder queries use, which a file load fills
    only when needed (they are a large share of its time): the JSON-typed `attributes`, `resource`
    and `scope` columns, and the `traces_v3_resource` table."""

    json_columns: bool = True
    resource_table: bool = True

    @classmethod
    def of(cls, sql: Iterable[str]) -> Reads:
        """What these queries read; any mention of a column's or table's name counts, so the answer
        errs on the side of filling it (`resource.service.name::String` reads the JSON column)."""
        texts = list(sql)
        return cls(
            json_columns=any(re.search(r"\b(?:resource|attributes|scope)\b", text) for text in texts),
            resource_table=any("traces_v3_resource" in text for text in texts),
        )


def chdb_available() -> bool:
    try:
        import chdb  # noqa: F401
    except ImportError:
        return False
    return True


class Engine:
    """Spans (dicts, or files read by `spans.py`) in SigNoz's trace tables."""

    def __init__(self, spans: Iterable[Mapping[str, Any]] = (), files: Sequence[Path] = (), reads: Reads = Reads()):
        from signoz_dac.preview.store import TraceStore

        self.store = TraceStore()
        try:
            self.store.execute("SET session_timezone = 'UTC'")  # SigNoz's ClickHouse runs in UTC
            # Parts are merged in the background after a load; this store lives for one preview, so
            # merging would only take CPU from the panels' queries.
            self.store.execute(f"SYSTEM STOP MERGES {INDEX_TABLE}")
            self.store.load(spans)
            for path in files:
                self._load_file(Path(path), reads)
            self.catalog = FieldCatalog.from_store(self.store)
        except BaseException:
            self.store.close()
            raise

    @classmethod
    def start(cls, spans: Iterable[Mapping[str, Any]] = (), files: Sequence[Path] = (),
              reads: Reads = Reads()) -> Engine | None:
        """An engine holding the spans, or None when chDB is not installed. Files loaded by ClickHouse
        fill only what `reads` asks for besides what builder queries use."""
        if not chdb_available():
            return None
        return cls(spans, files, reads)

    def _load_file(self, path: Path, reads: Reads) -> None:
        """JSON lines of normalised spans and OTLP JSON lines go to ClickHouse as they are (fast:
        millions of spans in seconds); every other format is read and normalised in Python first."""
        file_format = bulk_format(path)
        if file_format is None:
            spans = read_spans(path)
            try:
                self.store.load(spans)
            except Exception as exc:  # noqa: BLE001  what the reader's checks let through, ClickHouse names
                raise InputError(f"{path}: cannot load the spans: {clickhouse_message(exc)}") from None
            return
        try:
            self.store.load_file(str(path.resolve()), json_columns=reads.json_columns, file_format=file_format,
                                 resources=reads.resource_table)
        except Exception as exc:  # noqa: BLE001  ClickHouse's message says which row
            raise InputError(f"{path}: cannot load the spans: {clickhouse_message(exc)}") from None
        # ClickHouse fills what a line lacks with defaults: a line of another format, or a span without
        # ids or with times in another unit, would load as a span of 1970. Earlier files were checked,
        # so any such row is this file's; the file is then read again to say which line it is.
        [row] = self.store.query(
            f"SELECT count() AS n FROM {INDEX_TABLE} WHERE trace_id = '' OR span_id = '' "
            f"OR timestamp < fromUnixTimestamp64Nano(toInt64({EARLIEST_NS}))"
        )
        if int(row["n"]):
            raise InputError(first_bad_line(path, file_format) or f"{path}: {row['n']} spans without ids or with times before 1973")

    def extent(self) -> tuple[int, int, int]:
        """(spans, first start, last end) in the store, times in epoch nanoseconds."""
        [row] = self.store.query(
            "SELECT count() AS n, min(toUnixTimestamp64Nano(timestamp)) AS first, "
            "max(toUnixTimestamp64Nano(timestamp) + duration_nano) AS last FROM signoz_traces.signoz_index_v3"
        )
        return int(row["n"]), int(row["first"]), int(row["last"])

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run_sql(self, sql: str, variables: Mapping[str, Any], rng: TimeRange) -> tuple[list[tuple[str, str]], list[list[Any]]]:
        """A ClickHouse SQL panel's query with SigNoz's variable substitution, run as SigNoz runs it."""
        from signoz_dac.preview.substitution import GoTemplateError, render_query

        try:
            text = render_query(sql, variables, rng.start_ms, rng.end_ms)
        except GoTemplateError as exc:
            raise QueryFailed(f"error while replacing template variables: {exc}") from None
        try:
            return self.store.query_table(text)
        except Exception as exc:  # noqa: BLE001  chDB's errors carry ClickHouse's message
            raise QueryFailed(f"ClickHouse: {clickhouse_message(exc)}") from None

    def variable_options(self, sql: str, known: Mapping[str, Any], rng: TimeRange) -> list[Any]:
        """A query variable's options: the first column of its SQL's rows."""
        _, rows = self.run_sql(sql, known, rng)
        return [row[0] for row in rows if row and row[0] is not None]
