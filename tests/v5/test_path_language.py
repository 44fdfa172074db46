"""The vectors' path language and checks, tested on their own: a vector that passes must be able
to fail."""

from __future__ import annotations

from . import vectors

DOC = {
    "items": [
        {"content": {"$ref": "#/spec/panels/a"}, "width": 6},
        {"content": {"$ref": "#/spec/panels/b"}, "width": 3},
    ],
    "panels": {"panel-1": {"spec": {"kind": "x"}}},
    "tags": [{"key": "k", "value": "v"}, {"key": "2bad", "value": "v"}],
    "empty": [],
}


def test_paths_resolve_keys_indices_filters_and_fan_out():
    assert vectors.resolve(DOC, "items[1].width") == [3]
    assert vectors.resolve(DOC, "items[0].content[\"$ref\"]") == ["#/spec/panels/a"]
    assert vectors.resolve(DOC, "items[?content.$ref=#/spec/panels/b].width") == [3]
    assert vectors.resolve(DOC, 'panels["panel-1"].spec.kind') == ["x"]
    assert vectors.resolve(DOC, "tags[*].key") == ["k", "2bad"]
    assert vectors.resolve(DOC, "") == [DOC]
    assert vectors.resolve(DOC, "items[5].width") == [vectors.MISSING]
    assert vectors.resolve(DOC, "items[?content.$ref=nope].width") == [vectors.MISSING]


def test_checks_pass_and_fail():
    passing = [
        ({"path": "p", "equals": 3}, 3),
        ({"path": "p", "length": 0}, None),
        ({"path": "p", "length": 2}, {"a": 1, "b": 2}),
        ({"path": "p", "is_null": True}, vectors.MISSING),
        ({"path": "p", "empty": True}, ""),
        ({"path": "p", "absent_or_zero": True}, 0),
        ({"path": "p", "contains": "apm"}, "apm-metrics"),
        ({"path": "p", "keys_include": ["a"]}, {"a": 1}),
        ({"path": "p", "keys_exclude": ["b"]}, {"a": 1}),
        ({"path": "p", "not_empty": True}, [1]),
    ]
    for assertion, value in passing:
        assert vectors.check(value, assertion) is None, assertion
        kind = next(k for k in assertion if k != "path")
        wrong = {"equals": 4, "length": [1], "is_null": 0, "empty": "x", "absent_or_zero": 1, "contains": "x",
                 "keys_include": {}, "keys_exclude": {"b": 1}, "not_empty": []}[kind]  # fmt: skip
        assert vectors.check(wrong, assertion), assertion


def test_each_runs_the_tag_rules():
    rule = next(iter(vectors.EACH))
    assertion = {"path": "[*]", "each": rule}
    results = [vectors.check(tag, assertion) for tag in vectors.resolve(DOC, "tags[*]")]
    assert results[0] is None and results[1] is not None  # "2bad" cannot start a tag key


def test_a_wrong_conversion_fails_its_vector():
    vector = {"unit": "mapV1SpanGaps", "v1": 30, "v6_form": "exact", "v6": {"fillOnlyBelow": True, "fillLessThan": "31s"}}
    assert vectors.failures(vector)
    vector = {"unit": "convertV1TagsForOrg", "v1": ["a:b"], "v6_form": "error", "v6": None}
    assert vectors.failures(vector) == ['did not fail; gave [{"key": "a", "value": "b"}]']
