"""Next year's rerun with a user's own themes file and targets folder, the way staff run it:
the report kernels use the same taxonomy as cleaning, and the user's targets replace the
bundled ones."""

from __future__ import annotations

import json

import pandas as pd
import yaml

from inclusie_analysis.cli import main
from inclusie_analysis.read.themes import THEMES_FILE

ONE_TARGET = """\
year: 2025
source: eigen actieplan
indicators:
  - id: nieuwsbrieven
    goal: OD1.3
    description: Verstuurde nieuwsbrieven (eigen doel)
    unit: nieuwsbrieven
    op: at_least
    target: 1
    rule: {frame: activities, where: {type: [newsletter]}, measure: count}
"""


def test_report_uses_the_users_themes_and_targets(demo, make_settings, tmp_path):
    data = yaml.safe_load(THEMES_FILE.read_text(encoding="utf-8"))
    for theme in data["themes"].values():
        theme["label"] += " [eigen]"  # every label the report shows comes from this file
    themes = tmp_path / "eigen" / "themes.yaml"
    themes.parent.mkdir()
    themes.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    targets = tmp_path / "eigen" / "doelen"
    targets.mkdir()
    (targets / "2025.yaml").write_text(ONE_TARGET, encoding="utf-8")
    settings = make_settings(tmp_path, demo.out, themes=themes, targets=targets)
    only = ["--only", "Vlaanderen en Brussel", "--formats", "html", "--jobs", "1"]
    assert main(["--settings", str(settings), "report", *only, "--no-progress"]) == 0
    out = tmp_path / "reports" / "2025"
    indicators = pd.read_parquet(out / "data" / "indicators.parquet")
    assert indicators["indicator"].tolist() == ["nieuwsbrieven"]
    meta = json.loads((out / "data" / "meta.json").read_text(encoding="utf-8"))
    # relative to the settings folder (tmp_path here): no absolute path in meta.json (issue 15)
    assert meta["references"]["themes"]["file"] == "eigen/themes.yaml"
    assert meta["references"]["targets"]["file"] == "eigen/doelen/2025.yaml"
    html = (out / "jaarrapport-vlaanderen-en-brussel" / "report.html").read_text(encoding="utf-8")
    # the ranking in the report kernel: labels from the user's file, ten themes shown
    assert html.count("[eigen]") >= 10
    assert "van de 1 indicatoren" in html
