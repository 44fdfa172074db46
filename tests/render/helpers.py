"""Reading rendered bodies in tests: panels by key, their queries and filters."""

from __future__ import annotations


def panel(body: dict, key: str) -> dict:
    return body["spec"]["panels"][key]["spec"]


def query_plugin(body: dict, key: str) -> dict:
    return panel(body, key)["queries"][0]["spec"]["plugin"]


def builder_specs(body: dict, key: str) -> list[dict]:
    """Every builder query of a panel, whether it is alone or inside a composite."""
    plugin = query_plugin(body, key)
    if plugin["kind"] == "signoz/BuilderQuery":
        return [plugin["spec"]]
    if plugin["kind"] == "signoz/CompositeQuery":
        return [q["spec"] for q in plugin["spec"]["queries"] if q["type"] == "builder_query"]
    return []


def sql(body: dict, key: str) -> str:
    plugin = query_plugin(body, key)
    assert plugin["kind"] == "signoz/ClickHouseSQL", f"{key} is not a ClickHouse SQL panel"
    return plugin["spec"]["query"]


def unit(body: dict, key: str) -> str | None:
    return panel(body, key)["plugin"]["spec"].get("formatting", {}).get("unit")
