"""Library calls as a long-running CI job or a notebook makes them: errors from signoz_dac's own
hierarchy, results that follow the files they read, and no change to the process's global state
when used from threads."""

from __future__ import annotations

import os
import shutil
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import signoz_dac
from signoz_dac.errors import InputError, TemplateError
from signoz_dac.resources import templates_dir
from tests.conftest import MINIMAL_DEFINITION


@pytest.mark.parametrize("name", ["grafana", "", "../README", "pipecat.yaml"])
def test_an_unknown_builtin_definition_is_bad_input(name):
    from signoz_dac.errors import UnknownBuiltin

    with pytest.raises(InputError) as caught:  # was a bare ValueError, outside the documented errors
        signoz_dac.builtin_definition(name)
    assert type(caught.value) is UnknownBuiltin and isinstance(caught.value, ValueError)  # still one
    assert str(caught.value) == f"no built-in definition {name!r}; the built-in ones are livekit, pipecat"


def _touch_later(path: Path, text: str) -> None:
    """Rewrite a template, its modification time clearly after the one Jinja saw."""
    later = path.stat().st_mtime + 10
    path.write_text(text, encoding="utf-8")
    os.utime(path, (later, later))


@pytest.fixture
def own_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "my-templates"
    shutil.copytree(templates_dir(), folder)
    return folder


@pytest.fixture
def dashboard(tmp_path: Path):
    path = tmp_path / "my-agent.yaml"
    path.write_text(MINIMAL_DEFINITION, encoding="utf-8")
    return signoz_dac.load_definition(path)


def test_an_edited_template_is_used_by_the_next_render_in_the_same_process(own_templates, dashboard):
    """A user restyling panels renders, edits a template of their folder, and renders again: the
    second render reads the edit (it reused the first version for the life of the process)."""
    panel = own_templates / "panels" / "panel.json.j2"
    original = panel.read_text(encoding="utf-8")
    before = signoz_dac.render(dashboard, templates=own_templates)

    _touch_later(panel, "{{ no_such_value }}" + original)
    with pytest.raises(TemplateError) as caught:
        signoz_dac.render(dashboard, templates=own_templates)
    assert str(caught.value) == "panels/panel.json.j2:1: 'no_such_value' is undefined"

    _touch_later(panel, original)  # and fixed again: the render works again, as before
    assert signoz_dac.render(dashboard, templates=own_templates) == before


def test_an_edited_rule_template_is_used_by_the_next_render_alerts(own_templates, tmp_path):
    path = tmp_path / "alerts.yaml"
    path.write_text(MINIMAL_DEFINITION + "alerts:\n  rules:\n    - type: error_rate\n      warning: 5\n",
                    encoding="utf-8")
    dashboard = signoz_dac.load_definition(path)
    rule = own_templates / "alerts" / "rule.json.j2"
    assert signoz_dac.render_alerts(dashboard, templates=own_templates)
    _touch_later(rule, "{{ 1 / 0 }}" + rule.read_text(encoding="utf-8"))
    with pytest.raises(TemplateError, match=r"^alerts/rule\.json\.j2:1: ZeroDivisionError: division by zero$"):
        signoz_dac.render_alerts(dashboard, templates=own_templates)


def test_the_v1_conversion_from_threads_leaves_the_warnings_filters_as_they_were():
    """The client writes v5 JSON to SigNoz < 0.135 and silenced its own NotCarried warning with
    `warnings.catch_warnings`, which swaps the process's filters: two threads converting at once
    (push does, and the client is thread-safe) left an "ignore NotCarried" filter behind for good.
    Here the second thread enters while the first is converting and leaves after it."""
    from signoz_dac.signoz import dashboards_v1
    from signoz_dac.signoz.v5 import write

    body = signoz_dac.render(signoz_dac.load_definition(signoz_dac.builtin_definition("pipecat")))
    both_inside = threading.Barrier(2, timeout=10)
    first_done = threading.Event()
    real = write.ui_problems

    def checking_ui(v5):  # runs in the middle of each conversion
        both_inside.wait()
        if threading.current_thread().name == "second":
            assert first_done.wait(10)
        return real(v5)

    def convert(name: str) -> dict:
        threading.current_thread().name = name
        try:
            return dashboards_v1.to_v1(body)
        finally:
            if name == "first":
                first_done.set()

    before = list(warnings.filters)
    write.ui_problems = checking_ui
    try:
        with ThreadPoolExecutor(2) as pool:
            results = [f.result(timeout=30) for f in [pool.submit(convert, "first"), pool.submit(convert, "second")]]
    finally:
        write.ui_problems = real
    assert results[0] == results[1]
    assert warnings.filters == before


def test_the_v1_conversion_does_not_warn_while_render_v5_still_does():
    body = signoz_dac.render(signoz_dac.load_definition(signoz_dac.builtin_definition("pipecat")))
    from signoz_dac.render.v5 import NotCarried
    from signoz_dac.signoz.dashboards_v1 import to_v1

    with warnings.catch_warnings(record=True) as heard:
        warnings.simplefilter("always")
        to_v1(body)
        assert heard == []
        signoz_dac.render_v5(signoz_dac.load_definition(signoz_dac.builtin_definition("pipecat")))
    assert [type(w.message) for w in heard] == [NotCarried]


def test_rendering_from_threads_gives_what_one_thread_gives():
    """The README says library calls may run in threads: the same bodies, byte for byte."""
    paths = [signoz_dac.builtin_definition("pipecat"), signoz_dac.builtin_definition("livekit")] * 3

    def work(path: Path) -> tuple[str, str]:
        dashboard = signoz_dac.load_definition(path)
        return signoz_dac.dump(signoz_dac.render(dashboard)), repr(signoz_dac.render_alerts(dashboard))

    alone = [work(p) for p in paths]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(work, paths, timeout=120))
    assert together == alone


def test_errors_survive_a_process_pool():
    """A CI job that renders in a process pool gets each error back as it was raised."""
    import pickle

    from signoz_dac.errors import DefinitionError, Issue, Location, NotRepresentable, SchemaError
    from signoz_dac.signoz.errors import NotFound

    raised = [
        SchemaError([Issue("spec.panels.a", "bad", Location("a.yaml", 3, 5)), Issue("spec.layouts", "worse")], "a.yaml"),
        NotRepresentable([Issue("spec.panels.b", "no generic form")]),
        DefinitionError("unknown type 'turn_lag'", Location("a.yaml", 7, 9)),
        TemplateError("'x' is undefined", "panels/panel.json.j2", 4),
        NotFound("no such dashboard", status=404, method="GET", path="/api/v2/dashboards/x"),
    ]
    for error in raised:
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error) and vars(back) == vars(error), error
    assert str(raised[0]) == "a.yaml: a.yaml:3:5: spec.panels.a: bad (and 1 more)"
