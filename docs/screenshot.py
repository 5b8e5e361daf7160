"""Render the sample evaluation's HTML to ``docs/_static/evaluation.png`` with headless Chromium.

The picture shows what a notebook shows for ``evaluate(...)`` of the packaged ``sample-ledger.csv``
against ``isc2/cissp`` (as ``examples/demo.py`` does), once on a light and once on a dark
background, with the governing cycle's activity table opened. Run it by hand after the
HTML changes and commit the PNG; CI never needs Chromium:

    apt-get install -y chromium          # or any Chromium / Chrome on PATH
    .venv/bin/python docs/screenshot.py  # --chromium PATH to choose the browser

The script writes only the PNG (and a temporary folder it removes).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cperules import Holding, Ledger, catalog, evaluate, samples
from cperules.render import evaluation_html

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "_static" / "evaluation.png"
AS_OF = dt.date(2026, 11, 24)
WIDTH, HEIGHT = 1640, 760
THEMES = {
    "light": ("#ffffff", "#1f1f1f"),
    "dark": ("#1e1e1e", "#d8d8d8"),
}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]


def page() -> str:
    """A page with the sample evaluation's HTML in a light and a dark pane, side by side."""
    text = samples.text("sample-ledger.csv")
    ledger = Ledger.from_records(csv.DictReader(io.StringIO(text)))
    holding = Holding(certification=catalog.get("isc2/cissp"), earned=dt.date(2023, 3, 1))
    html = evaluation_html(evaluate(holding, ledger, as_of=AS_OF), expanded=True)
    panes = "".join(
        f'<div style="background:{background};color:{text};padding:14px 18px;flex:1">'
        f'<p style="margin:0 0 6px;opacity:.7;font:13px system-ui">{theme} theme</p>{html}</div>'
        for theme, (background, text) in THEMES.items()
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"></head>'
        '<body style="margin:0;font-size:13px;display:flex;gap:0">'
        f"{panes}</body></html>"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", help="the Chromium or Chrome executable to use")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    browser = args.chromium or next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
    )
    if browser is None:
        print("no Chromium found: apt-get install -y chromium, or pass --chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "evaluation.html"
        source.write_text(page(), encoding="utf-8")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={Path(work) / 'profile'}",
            f"--screenshot={args.output}",
            f"--window-size={WIDTH},{HEIGHT}",
            source.as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
