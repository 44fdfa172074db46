"""Dashboard query cost: our ClickHouse SQL panels against the official SigNoz templates' SQL.

chDB holds SigNoz's `signoz_traces.signoz_index_v3` table (the DDL of signoz_dac.testing.traces_store)
filled with synthetic voice-agent traces (synthetic_traces.py). For each SQL panel, ours and the
official one, and for 1 h, 6 h and 24 h ranges ending at the data's end, it records:
- rows read: chDB's storage rows read for the query (what ClickHouse's query_log calls read_rows);
- wall time: the median of several runs after one warm-up run;
and the ratio official / ours. Our panels' values are checked against a brute-force ground truth: a
full scan, written independently, of the finished conversations in the range and their turns.
Then the data is doubled backwards in time (7 → 14 days) to show that our cost at a fixed 1 h
range does not grow with retention, while the official SQL's (no time filter) does.

Targets at 1 h: official / ours ≥ 50× in rows read and ≥ 5× in time.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from report import Row, fmt_count, fmt_ratio, fmt_seconds
from synthetic_traces import LIVEKIT_SERVICE, PIPECAT_SERVICE, insert_sql

REPO = Path(__file__).resolve().parents[1]
OFFICIAL = REPO.parent / "shared" / "fixtures" / "signoz-official"
DAY = 86400
DATA_END = 1767830400  # 2026-01-08 00:00:00 UTC: a fixed end, so every run builds the same table
RANGES = (("1 h", 3600), ("6 h", 6 * 3600), ("24 h", 24 * 3600))
ROWS_TARGET, TIME_TARGET = 50.0, 5.0
THRESHOLD = "3"
LIST_LIMIT = 100

PANELS = ("conversations-below-threshold", "average-turns-per-conversation", "conversations-below-threshold-list")
# The official templates' panel titles for the same three panels.
OFFICIAL_TITLES = {
    "Number of Conversations Below Threshold": "conversations-below-threshold",
    "Average Turns Per Conversation": "average-turns-per-conversation",
    "Conversations Below Threshold": "conversations-below-threshold-list",
}


@dataclass(frozen=True)
class Framework:
    name: str  # the built-in dashboard and official fixture file name
    service: str
    root: str  # the conversation's root span
    turn: str  # one span per turn


FRAMEWORKS = (
    Framework("pipecat", PIPECAT_SERVICE, "conversation", "turn"),
    Framework("livekit", LIVEKIT_SERVICE, "agent_session", "agent_turn"),
)


def variables(framework: Framework) -> dict[str, object]:
    """The dashboard variables as SigNoz sends them: one service picked, ALL languages."""
    return {"service_name": [framework.service], "language": "__all__", "turns_threshold": THRESHOLD}


# -- the SQL under test ----------------------------------------------------------------------------

def our_sql(framework: Framework) -> dict[str, str]:
    from signoz_dac.definitions import load_definition
    from signoz_dac.render import render
    from signoz_dac.resources import builtin_definitions

    path = next(p for p in builtin_definitions() if p.stem == framework.name)
    panels = render(load_definition(path))["spec"]["panels"]
    return {key: panels[key]["spec"]["queries"][0]["spec"]["plugin"]["spec"]["query"] for key in PANELS}


def official_sql(framework: Framework) -> dict[str, str]:
    """The official template's ClickHouse SQL panels, by our panel key; {} if the fixture is absent."""
    path = OFFICIAL / f"{framework.name}-v6.json"
    if not path.exists():
        return {}
    found: dict[str, str] = {}
    for panel in json.loads(path.read_text(encoding="utf-8"))["spec"]["panels"].values():
        title = panel["spec"].get("display", {}).get("name", "")
        for query in panel["spec"].get("queries", []):
            plugin = query["spec"]["plugin"]
            if plugin["kind"] == "signoz/ClickHouseSQL" and title in OFFICIAL_TITLES:
                found[OFFICIAL_TITLES[title]] = plugin["spec"]["query"]
    return found


# -- the store -------------------------------------------------------------------------------------

class Store:
    """A chDB session in a temporary folder with SigNoz's traces schema."""

    def __init__(self):
        from chdb import session

        from signoz_dac.testing import traces_store

        self._folder = tempfile.mkdtemp(prefix="signoz-dac-bench-chdb-")
        self._session = session.Session(self._folder)
        self.render_query = traces_store.render_query
        for statement in traces_store.schema_statements():
            self._session.query(statement)

    def close(self) -> None:
        self._session.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def execute(self, sql: str) -> None:
        self._session.query(sql)

    def run(self, sql: str):
        """(rows of the result as lists of strings, storage rows read, wall seconds)."""
        start = time.perf_counter()
        result = self._session.query(sql, "CSV")
        seconds = time.perf_counter() - start
        rows = list(csv.reader(io.StringIO(result.bytes().decode())))
        return rows, result.storage_rows_read(), seconds

    def spans(self) -> int:
        return int(self.run("SELECT count() FROM signoz_traces.signoz_index_v3")[0][0][0])


def generate(store: Store, conversations: int, *, first_id: int, days_back: tuple[int, int]) -> float:
    """Insert calls `first_id` … `first_id + conversations - 1`, started evenly from `days_back[0]`
    to `days_back[1]` days before the data's end, in chunks (one huge INSERT is slower in chDB).
    Returns the seconds it took."""
    start = time.perf_counter()
    first_s, last_s = DATA_END - days_back[0] * DAY, DATA_END - days_back[1] * DAY
    chunk = 50_000
    for begin in range(0, conversations, chunk):
        count = min(chunk, conversations - begin)
        span = last_s - first_s
        store.execute(insert_sql(
            first=first_id + begin, count=count,
            start_s=first_s + span * begin // conversations,
            end_s=first_s + span * (begin + count) // conversations,
            data_end_s=DATA_END,
        ))
    merge_parts(store)
    return time.perf_counter() - start


def merge_parts(store: Store) -> None:
    """Merge each day's partition into one part, as SigNoz's background merges leave past days.
    Rows read count whole granules, so this makes them the same on every run."""
    partitions, _, _ = store.run(
        "SELECT partition_id FROM system.parts WHERE database = 'signoz_traces' AND table = 'signoz_index_v3' "
        "AND active GROUP BY partition_id HAVING count() > 1"
    )
    for (partition_id,) in partitions:
        store.execute(f"OPTIMIZE TABLE signoz_traces.signoz_index_v3 PARTITION ID '{partition_id}' FINAL")


# -- measuring -------------------------------------------------------------------------------------

@dataclass
class Cost:
    rows_read: int
    seconds: float  # median wall time
    result: list[list[str]]


class Meter:
    """Runs each distinct SQL text once to warm up, then `runs` times; the same text (the official
    SQL renders identically for every range) is measured once."""

    def __init__(self, store: Store, runs: int):
        self.store, self.runs, self._seen = store, runs, {}

    def cost(self, sql: str) -> Cost:
        if sql not in self._seen:
            result, rows_read, _ = self.store.run(sql)
            times = [self.store.run(sql)[2] for _ in range(self.runs)]
            self._seen[sql] = Cost(rows_read, statistics.median(times), result)
        return self._seen[sql]

    def forget(self) -> None:
        self._seen.clear()


def ground_truth(store: Store, framework: Framework, start_s: int, end_s: int) -> list[tuple[str, int]]:
    """Every finished conversation of the service whose root span ends in [start, end], with its
    turn count: two full scans (no time pruning, no look-back) joined on trace_id."""
    sql = f"""
        SELECT f.trace_id, t.turns
        FROM (
            SELECT trace_id FROM signoz_traces.signoz_index_v3
            WHERE name = '{framework.root}' AND resources_string['service.name'] = '{framework.service}'
              AND toUnixTimestamp64Nano(timestamp) + duration_nano
                  BETWEEN {start_s * 1_000_000_000} AND {end_s * 1_000_000_000}
        ) AS f
        LEFT JOIN (
            SELECT trace_id, count() AS turns FROM signoz_traces.signoz_index_v3
            WHERE name = '{framework.turn}' GROUP BY trace_id
        ) AS t USING (trace_id)
        SETTINGS join_use_nulls = 0
    """
    rows, _, _ = store.run(sql)
    return [(trace_id, int(turns)) for trace_id, turns in rows]


def expected_values(truth: list[tuple[str, int]]) -> dict[str, object]:
    threshold = int(THRESHOLD)
    below = sorted((turns, trace_id) for trace_id, turns in truth if turns < threshold)
    average = round(sum(t for _, t in truth) / len(truth), 2) if truth else None
    return {
        "conversations-below-threshold": len(below),
        "average-turns-per-conversation": average,
        "conversations-below-threshold-list": [(trace_id, turns) for turns, trace_id in below[:LIST_LIMIT]],
    }


def panel_value(key: str, result: list[list[str]]) -> object:
    if key == "conversations-below-threshold":
        return int(result[0][0])
    if key == "average-turns-per-conversation":
        text = result[0][0] if result else "nan"
        return None if text in ("nan", "\\N", "") else float(text)
    return [(trace_id, int(turns)) for trace_id, turns in result]


def agrees(key: str, ours: object, truth: object) -> bool:
    if key == "average-turns-per-conversation" and ours is not None and truth is not None:
        return abs(ours - truth) <= 0.006  # both rounded to 2 places, perhaps differently at .005
    return ours == truth


def summary(values: dict[str, object]) -> str:
    """The three panels' values in a few characters: below-threshold count, average, list length."""
    return (f"below {values['conversations-below-threshold']}, avg {values['average-turns-per-conversation']}, "
            f"list {len(values['conversations-below-threshold-list'])} rows")


# -- the benchmark ---------------------------------------------------------------------------------

def rows(conversations: int, runs: int) -> tuple[list[Row], list[str], bool]:
    """The table rows, notes, and whether every value agreed with the ground truth."""
    out: list[Row] = []
    notes: list[str] = []
    all_agree = True
    ours = {f.name: our_sql(f) for f in FRAMEWORKS}
    official = {f.name: official_sql(f) for f in FRAMEWORKS}
    if not any(official.values()):
        notes.append(f"query cost: official SQL not found under {OFFICIAL}; the official baseline is skipped")

    with Store() as store:
        seconds = generate(store, conversations, first_id=0, days_back=(7, 0))
        notes.append(f"query cost: {conversations:,} conversations over 7 days = {store.spans():,} spans, "
                     f"generated in {fmt_seconds(seconds)}")
        meter = Meter(store, runs)
        section = f"query cost: {conversations:,} conversations, 7 days of data (official / ours)"
        truth_section = "query values: ours vs brute-force ground truth (full scan of the range)"
        truth_rows: list[Row] = []
        for framework in FRAMEWORKS:
            for label, length in RANGES:
                start_s, end_s = DATA_END - length, DATA_END
                expected = expected_values(ground_truth(store, framework, start_s, end_s))
                values = {}
                for key in PANELS:
                    sql = store.render_query(ours[framework.name][key], variables(framework), start_s * 1000, end_s * 1000)
                    cost = meter.cost(sql)
                    values[key] = panel_value(key, cost.result)
                    out.append(_cost_row(section, f"{framework.name} {key}, {label}", cost, label == "1 h",
                                         _official_cost(store, meter, official, framework, key, start_s, end_s)))
                ok = all(agrees(key, values[key], expected[key]) for key in PANELS)
                all_agree &= ok
                truth_rows.append(Row(truth_section, f"{framework.name}, {label}", summary(values),
                                      "ground truth", summary(expected), target="all 3 panels equal", met=ok))
        for framework in FRAMEWORKS:
            truth_rows += _official_values(store, meter, official, framework, truth_section)
        out.extend(truth_rows)

        # Retention: double the data backwards in time, then the same 1 h range again.
        before = {(f.name, key): _both(store, meter, ours, official, f, key) for f in FRAMEWORKS for key in PANELS}
        seconds = generate(store, conversations, first_id=conversations, days_back=(14, 7))
        notes.append(f"query cost: another {conversations:,} conversations over the 7 days before → "
                     f"{store.spans():,} spans in 14 days, generated in {fmt_seconds(seconds)}")
        meter.forget()
        section = "query cost vs retention: 1 h range, 7 → 14 days of data (rows read)"
        for framework in FRAMEWORKS:
            start_s, end_s = DATA_END - 3600, DATA_END
            expected = expected_values(ground_truth(store, framework, start_s, end_s))
            for key in PANELS:
                (ours_7, official_7) = before[(framework.name, key)]
                ours_14, official_14 = _both(store, meter, ours, official, framework, key)
                value = panel_value(key, ours_14.result)
                ok = agrees(key, value, expected[key])
                all_agree &= ok
                growth = ours_14.rows_read / max(1, ours_7.rows_read)
                row = Row(section, f"{framework.name} {key}",
                          f"{fmt_count(ours_7.rows_read)} → {fmt_count(ours_14.rows_read)} ({growth:.2f}×)",
                          target="ours flat; values = truth", met=ok and growth < 1.1)
                if official_7 is not None and official_14 is not None:
                    row.baseline = "official"
                    row.baseline_value = (f"{fmt_count(official_7.rows_read)} → {fmt_count(official_14.rows_read)} "
                                          f"({official_14.rows_read / max(1, official_7.rows_read):.2f}×)")
                out.append(row)
    if conversations < 100_000:
        notes.append("query cost: at this scale a range holds a few granules (8,192 rows), so the ratios mean "
                     "little; run --scale default for the figures.")
    return out, notes, all_agree


def _official_values(store, meter, official, framework: Framework, section: str) -> list[Row]:
    """What the official panels show for the 1 h range, next to the ground truth (for information:
    they have no time filter and count calls still in progress)."""
    start_s, end_s = DATA_END - 3600, DATA_END
    costs = {key: _official_cost(store, meter, official, framework, key, start_s, end_s) for key in PANELS}
    if any(cost is None for cost in costs.values()):
        return []
    values = {key: panel_value(key, cost.result) for key, cost in costs.items()}
    if values["average-turns-per-conversation"] is not None:
        values["average-turns-per-conversation"] = round(values["average-turns-per-conversation"], 2)
    expected = expected_values(ground_truth(store, framework, start_s, end_s))
    return [Row(section, f"official SQL, {framework.name}, 1 h (for information)", summary(values),
                "ground truth", summary(expected), target="(no time filter)")]


def _official_cost(store, meter, official, framework, key, start_s, end_s) -> Cost | None:
    sql = official[framework.name].get(key)
    if sql is None:
        return None
    return meter.cost(store.render_query(sql, variables(framework), start_s * 1000, end_s * 1000))


def _both(store, meter, ours, official, framework, key) -> tuple[Cost, Cost | None]:
    start_s, end_s = DATA_END - 3600, DATA_END
    sql = store.render_query(ours[framework.name][key], variables(framework), start_s * 1000, end_s * 1000)
    return meter.cost(sql), _official_cost(store, meter, official, framework, key, start_s, end_s)


def _cost_row(section: str, measure: str, ours: Cost, has_target: bool, official: Cost | None) -> Row:
    row = Row(section, measure, f"{fmt_count(ours.rows_read)} rows, {fmt_seconds(ours.seconds)}")
    if official is None:
        row.baseline = "official (absent)"
        return row
    rows_ratio = official.rows_read / max(1, ours.rows_read)
    time_ratio = official.seconds / ours.seconds
    row.baseline = "official SigNoz template"
    row.baseline_value = f"{fmt_count(official.rows_read)} rows, {fmt_seconds(official.seconds)}"
    row.ratio = f"{fmt_ratio(rows_ratio)} rows, {fmt_ratio(time_ratio)} time"
    if has_target:
        row.target = f"≥ {ROWS_TARGET:.0f}× rows, ≥ {TIME_TARGET:.0f}× time"
        row.met = rows_ratio >= ROWS_TARGET and time_ratio >= TIME_TARGET
    return row
