"""What import cannot represent is an error naming its JSON path; inputs it recognises (GET
responses, template-repository bodies, v5 bodies) are read or refused with a clear message."""

from __future__ import annotations

import copy

import pytest

from signoz_dac import builtin_definition, load_definition, render
from signoz_dac.errors import SchemaError
from signoz_dac.identity import DASHBOARD_MARKS
from signoz_dac.importer import NotRepresentable, import_dashboard
from signoz_dac.signoz.dashboards_v1 import to_v1
from signoz_dac.signoz.v5 import convert_v5_to_v6
from signoz_dac.signoz.v6 import stored_dashboard

from .helpers import BODY, assert_same_dashboard, round_trip


def body_with(change) -> dict:
    body = copy.deepcopy(BODY)
    change(body)
    return body


def _builder(body: dict) -> dict:
    return body["spec"]["panels"]["p1"]["spec"]["queries"][0]["spec"]["plugin"]["spec"]


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (lambda b: _builder(b).update(filter={}), "spec.panels.p1.spec.queries[0].spec.plugin.spec.filter", "empty object"),
        (lambda b: _builder(b).update(having={}), "spec.panels.p1.spec.queries[0].spec.plugin.spec.having", "empty object"),
        (lambda b: _builder(b).update(bogus=1), "spec.panels.p1.spec.queries[0].spec.plugin.spec.bogus", "not a field"),
        (lambda b: b["spec"]["layouts"][0]["spec"]["items"][0].pop("x"), "spec.layouts[0].spec.items[0].x", "x, y, width"),
        (lambda b: b["spec"]["layouts"][0]["spec"].update(display={}), "spec.layouts[0].spec.display", "empty object"),
        (lambda b: b["spec"]["layouts"][0]["spec"].update(display={"title": "T", "collapse": {}}),
         "spec.layouts[0].spec.display.collapse", "open"),
        (lambda b: b["spec"]["variables"][0]["spec"].pop("plugin"), "spec.variables[0].spec.plugin", "needs a plugin"),
        (lambda b: b["spec"]["layouts"].append(copy.deepcopy(b["spec"]["layouts"][0])),
         "spec.layouts[1].spec.items[0].content", "placed twice"),
        (lambda b: b["spec"]["layouts"][0].update(kind="Tabs"), "spec.layouts[0]", "Grid"),
        (lambda b: b["spec"]["panels"]["p1"]["spec"].update(queries=[]), "spec.panels.p1.spec.queries", "exactly one query"),
        (lambda b: b["spec"]["panels"]["p1"]["spec"]["plugin"]["spec"].update(stackedBarChart=True),
         "spec.panels.p1.spec.plugin.spec.stackedBarChart", "not a field"),
        (lambda b: b.update(schemaVersion="v7"), "schemaVersion", '"v6"'),
        (lambda b: b.update(tags=[{"key": f"k{i}", "value": "v"} for i in range(9)]), "tags", "at most 7 tags"),
    ],
    ids=["empty filter", "empty having", "unknown field", "item without x", "empty grid display", "collapse without open",
         "list variable without plugin", "panel placed twice", "tabs layout", "no query", "option of another kind",
         "schema version", "nine tags (push needs two of SigNoz's ten)"],
)
def test_what_a_definition_cannot_say_is_an_error_at_its_path(change, path, words):
    with pytest.raises(NotRepresentable) as caught:
        import_dashboard(body_with(change), source="board.json")
    issue = caught.value.issues[0]
    assert issue.path == path
    assert words in issue.message
    assert str(caught.value).startswith(f"board.json: {path}: ")


_ITEM = "spec.layouts[0].spec.items[0]"


@pytest.mark.parametrize(
    ("place", "field", "words"),
    [({"width": 13}, "width", "less than or equal to 12"), ({"width": 0}, "width", "greater than or equal to 1"),
     ({"height": 0}, "height", "greater than or equal to 1"), ({"x": -1}, "x", "greater than or equal to 0"),
     ({"x": 12}, "x", "less than or equal to 11"), ({"y": -3}, "y", "greater than or equal to 0"),
     ({"width": 10**30}, "width", "less than or equal to 12")],
)
def test_a_grid_item_outside_the_grid_is_refused_at_its_path(place, field, words):
    # SigNoz refuses these places too; import used to crash on them with a pydantic traceback.
    with pytest.raises(NotRepresentable) as caught:
        import_dashboard(body_with(lambda b: b["spec"]["layouts"][0]["spec"]["items"][0].update(place)), source="board.json")
    assert caught.value.issues[0].path == f"{_ITEM}.{field}"
    assert words in caught.value.issues[0].message


def test_a_title_too_long_for_signoz_is_refused_at_its_path():
    with pytest.raises(NotRepresentable) as caught:
        import_dashboard(body_with(lambda b: b["spec"]["display"].update(name="t" * 129)), source="board.json")
    assert str(caught.value).startswith("board.json: spec.display.name: String should have at most 128 characters")


def test_the_base_body_round_trips():
    imported, _, rendered = round_trip(BODY)
    assert_same_dashboard(BODY, rendered)
    assert imported.notes == ()


def test_a_get_response_is_read_without_its_envelope_and_server_fields():
    stored = {**copy.deepcopy(BODY), "id": "0197-uuid", "createdAt": "2026-01-01T00:00:00Z", "createdBy": "a@b.c",
              "updatedAt": "2026-01-02T00:00:00Z", "updatedBy": "a@b.c", "orgId": "org", "locked": False, "source": "user"}
    imported = import_dashboard({"status": "success", "data": stored}, source="get.json")
    _, _, rendered = round_trip(imported.body)
    assert_same_dashboard(BODY, rendered)
    assert not {"id", "createdAt", "locked", "source"} & set(rendered)


def test_a_titled_section_without_collapse_reads_back_from_signoz_with_a_null_one():
    # SigNoz's re-read writes `collapse: null` for a section that has none: that is no collapse.
    body = body_with(lambda b: b["spec"]["layouts"][0]["spec"].update(display={"title": "Errors"}))
    stored = stored_dashboard(copy.deepcopy(body))
    assert stored["spec"]["layouts"][0]["spec"]["display"] == {"title": "Errors", "collapse": None}
    _imported, _definition, rendered = round_trip(stored)
    assert_same_dashboard(body, rendered)


def test_a_template_with_only_generate_name_is_named_after_its_title_and_says_so():
    body = body_with(lambda b: (b.pop("name"), b.update(generateName=True), b["spec"]["display"].update(name="Voice Bot: Overview")))
    imported = import_dashboard(body, source="template.json")
    assert imported.definition.name == "voice-bot-overview"
    assert imported.notes == ("named 'voice-bot-overview' after its title (the body has no name of its own)",)


@pytest.mark.parametrize(("title", "name"), [("Pipecat", "pipecat"), ("  Über LLM / TTS  ", "uber-llm-tts"), ("!!!", "dashboard"),
                                             ("x" * 80, "x" * 63)])
def test_derived_names_are_dns_labels(title, name):
    body = body_with(lambda b: (b.pop("name"), b.update(generateName=True), b["spec"]["display"].update(name=title)))
    assert import_dashboard(body).definition.name == name


@pytest.mark.parametrize("display", ["x", None, {"name": 5}, {"name": None}, [], {"name": ["a"]}])
def test_a_nameless_body_with_a_display_of_the_wrong_type_is_named_without_a_crash(display):
    # A name is derived from the title; a title of the wrong type derives none (it used to crash
    # with an AttributeError or TypeError). SigNoz refuses such a display: so does the round trip.
    body = body_with(lambda b: (b.pop("name"), b["spec"].update(display=display)))
    try:
        imported = import_dashboard(body, source="board.json")
    except NotRepresentable as exc:
        assert exc.issues[0].path.startswith("spec.display")
        return
    assert imported.definition.name == "dashboard"
    assert "named 'dashboard' (its title gives no name)" in imported.notes[0]


@pytest.mark.parametrize("title", ["", "日本語ダッシュボード", "!!!"])
def test_a_v5_body_whose_title_gives_no_name_is_named_like_a_v6_one(title):
    # Import has no --name: it used to refuse these with "pass a name".
    imported = import_dashboard({**V5, "title": title}, source="old.json")
    assert imported.definition.name == "dashboard"
    assert imported.notes == ("converted from SigNoz's v5 format the way SigNoz converts it, named 'dashboard' "
                              "(its title gives no name)",)


@pytest.mark.parametrize("tags", [5, True, "team:voice", {"key": "team", "value": "voice"}])
def test_tags_that_are_not_a_list_are_refused_at_their_path(tags):
    with pytest.raises(NotRepresentable) as caught:  # 5 and True used to crash with a TypeError
        import_dashboard(body_with(lambda b: b.update(tags=tags)), source="board.json")
    assert str(caught.value) == "board.json: tags: must be a list of {key, value} objects"


def test_push_tags_can_be_left_out():
    body = body_with(lambda b: b.update(tags=[{"key": "managed-by", "value": "signoz-dac"}, {"key": "team", "value": "voice"},
                                              {"key": "team", "value": "ops"}]))
    definition = import_dashboard(body, drop_tags=["managed-by"]).definition
    assert definition.tags == {"team": ["voice", "ops"]}


V5 = {"title": "Old", "version": "v5", "widgets": [], "layout": [], "variables": {}}


def test_v5_input_goes_through_signoz_s_conversion():
    imported = import_dashboard(V5, source="old.json")
    assert imported.body == {**convert_v5_to_v6(V5), "name": "old"}
    assert imported.definition.name == "old" and imported.definition.title == "Old"
    assert imported.notes == ("converted from SigNoz's v5 format the way SigNoz converts it, named 'old' after its title",)


def test_a_v5_dashboard_signoz_dac_pushed_is_named_by_its_identity_tag_which_is_not_kept():
    # On SigNoz before 0.135 push stores a dashboard's name as the tag `signoz-dac-name:<name>`; a
    # UI export of it must import under that name, without the tag (push adds it again: kept, the
    # definition would carry a second, possibly stale, identity).
    body = render(load_definition(builtin_definition("pipecat")))
    imported = import_dashboard({**to_v1(body), "title": "Renamed in the UI"}, source="export.json", drop_tags=DASHBOARD_MARKS)
    assert imported.definition.name == body["name"] == "pipecat-voice-agent"
    assert "signoz-dac-name" not in imported.definition.tags
    assert not any(t["key"] == "signoz-dac-name" for t in imported.body["tags"])
    assert imported.notes == ("converted from SigNoz's v5 format the way SigNoz converts it, named "
                              "'pipecat-voice-agent' by its signoz-dac identity tag",)


def test_a_v5_get_response_of_signoz_before_0_135_is_read_without_its_envelope_and_row():
    # GET /api/v1/dashboards/{id}: {"status", "data": {id, createdAt, ..., "data": <the v5 JSON>}}.
    row = {"id": "0197", "createdAt": "2026-01-01T00:00:00Z", "createdBy": "a@b.c", "locked": False, "source": "user",
           "org_id": "org", "data": V5}
    imported = import_dashboard({"status": "success", "data": row}, source="get.json")
    assert imported.body == import_dashboard(V5, source="old.json").body


def test_v5_input_the_conversion_refuses_is_bad_input():
    with pytest.raises(SchemaError, match=r"old\.json"):
        import_dashboard({**V5, "widgets": [{"query": {"queryType": "nope"}}]}, source="old.json")
