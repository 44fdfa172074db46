"""Reading rendered bodies in tests: panels by key, their queries and filters."""

from __future__ import annotations


def panel(body: dict, key: str) -> dict:
    return body["spec"]["panels"][key]["spec"]


def query_plugin(body: dict, key: str) -> dict:
    return panel(body, key)["queries"][0]["spec"]["plugin"]


def builder_specs(body: dict, key: str) -> list[dict]:
    """Every builder query of a panel, whether it is alone or inside a composite; a panel without
    one is a test mistake, so it fails rather than giving assertions nothing to check."""
    plugin = query_plugin(body, key)
    if plugin["kind"] == "signoz/BuilderQuery":
        specs = [plugin["spec"]]
    else:
        assert plugin["kind"] == "signoz/CompositeQuery", f"{key} has no builder query ({plugin['kind']})"
        specs = [q["spec"] for q in plugin["spec"]["queries"] if q["type"] == "builder_query"]
    assert specs, f"{key} has no builder query"
    return specs


def sql(body: dict, key: str) -> str:
    plugin = query_plugin(body, key)
    assert plugin["kind"] == "signoz/ClickHouseSQL", f"{key} is not a ClickHouse SQL panel"
    return plugin["spec"]["query"]


def unit(body: dict, key: str) -> str | None:
    return panel(body, key)["plugin"]["spec"].get("formatting", {}).get("unit")
