"""Regenerate the README's preview screenshots: `python -m tests.preview.screenshots docs`.

Each shipped dashboard is previewed on its bundled sample capture (as `signoz-dac preview
dashboards/<name>.yaml` does) and photographed whole in headless Chromium at 1440 px.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import signoz_dac
from signoz_dac.preview import Dashboard, preview_html
from tests.conftest import REPO
from tests.preview.browser import Browser, find_chromium


def main(out: str) -> None:
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium: apt-get install chromium")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, Browser(chromium) as browser:
        for name in ("pipecat", "livekit"):
            definition = signoz_dac.load_definition(REPO / "dashboards" / f"{name}.yaml")
            page = Path(tmp) / f"{name}.html"
            dashboard = Dashboard(f"dashboards/{name}.yaml", signoz_dac.render(definition), definition.profile,
                                  signoz_dac.render_alerts(definition))
            page.write_text(preview_html([dashboard]))
            browser.open(page.as_uri())
            target = folder / f"preview-{name}.png"
            browser.screenshot(str(target))
            print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
