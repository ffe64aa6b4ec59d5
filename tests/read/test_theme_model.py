"""The learnt coder of open answers: training, the plain-JSON model file, prediction without
scikit-learn, keyword suggestions, and cleaning saying which coder it used."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inclusie_analysis.analyse.theme_training import (
    fit,
    keyword_suggestions,
    model_data,
    read_coded,
    write_model,
)
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.theme_model import (
    MODEL_FILE,
    SAMPLE_FILE,
    file_sha256,
    load_theme_model,
)
from inclusie_analysis.read.themes import OTHER, code_answers, code_text, groups, load_themes
from inclusie_analysis.settings import ENV_VAR

N_SAMPLE = len(pd.read_csv(SAMPLE_FILE, dtype=str))  # the bundled coded answers
TEXTS = [
    "We lopen achter de feiten aan, niemand neemt het voortouw in onze gemeente.",
    "Meer budget en personeel voor het digibankje a.u.b.",
    "Hoe bereiken we senioren die geen smartphone hebben?",
    "Graag voorbeelden van andere gemeenten over phishing en wachtwoorden.",
    "Geen opmerkingen.",
    "",
]


SUBSET = 400


def subset(path: Path, rows: int = SUBSET) -> Path:
    """The bundled sample's first `rows` coded answers as a csv of their own: enough to train
    and cross-validate (50 at least) in seconds, where the whole sample takes minutes."""
    pd.read_csv(SAMPLE_FILE, dtype=str).head(rows).to_csv(path, index=False)
    return path


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model fitted on the bundled sample's first `SUBSET` answers (no outer
    cross-validation: quick; the whole sample takes a minute), written out."""
    sample = read_coded([subset(tmp_path_factory.mktemp("deel") / "deel.csv")])
    fitted = fit(sample.frame)
    path = write_model(model_data(fitted, sample, None), tmp_path_factory.mktemp("m") / "m.json")
    return fitted, sample, path


def test_json_prediction_equals_scikit_learn(trained):
    fitted, sample, path = trained
    model = load_theme_model(path)
    texts = TEXTS + sample.frame["text"].head(20).tolist()
    ours, theirs = model.decision(texts), fitted.decision(texts)
    assert ours.shape == (len(texts), len(groups()))
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
    expected = theirs >= fitted.thresholds
    predicted = model.predict(texts)
    for row, labels in zip(expected, predicted, strict=True):
        assert labels == ([g for g, yes in zip(groups(), row, strict=True) if yes] or [OTHER])


def test_the_model_file_is_plain_data_with_its_provenance(trained):
    _, sample, path = trained
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "inclusie-theme-model" and data["version"] == 1
    assert data["groups"] == groups()
    assert data["training"]["sha256"] == file_sha256(sample.files[0]) == sample.sha256
    assert data["training"]["rows"] == len(sample.frame) == SUBSET
    assert len(data["coef"][0]) == len(data["vocabulary"]["word"]) + len(
        data["vocabulary"]["char"]
    ) + len(groups())
    assert b"\x80" not in path.read_bytes()[:2]  # not a pickle


def test_the_bundled_model_is_trained_on_the_current_sample():
    """Change coded_answers.csv, then run scripts/train_theme_model.py and commit both."""
    model = load_theme_model(MODEL_FILE)
    assert model.training["sha256"] == file_sha256(SAMPLE_FILE)
    assert model.training["rows"] == len(pd.read_csv(SAMPLE_FILE, dtype=str))
    assert model.describe().startswith(f"geleerd: theme_model.json ({N_SAMPLE} antwoorden, sha256 ")
    assert model.cv and model.cv[-1]["group"] == "alle groepen"


def _truncated(path: Path, good: bytes) -> None:
    path.write_bytes(good[: len(good) // 2])


def _pickle(path: Path, good: bytes) -> None:
    path.write_bytes(pickle.dumps(json.loads(good)))


def _other_json(path: Path, good: bytes) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}))


def _list_json(path: Path, good: bytes) -> None:
    path.write_text("[1, 2, 3]")


def _newer(path: Path, good: bytes) -> None:
    path.write_text(json.dumps({**json.loads(good), "version": 2}))


def _short_coef(path: Path, good: bytes) -> None:
    data = json.loads(good)
    data["coef"] = [row[:-3] for row in data["coef"]]
    path.write_text(json.dumps(data))


def _no_idf(path: Path, good: bytes) -> None:
    data = json.loads(good)
    del data["idf"]
    path.write_text(json.dumps(data))


def _nan_coef(path: Path, good: bytes) -> None:
    path.write_text(good.decode().replace('"intercept":[', '"intercept":[NaN,', 1))


@pytest.mark.parametrize(
    ("spoil", "fragment"),
    [
        (_truncated, "geen geldig JSON-bestand"),
        (_pickle, "geen geldig JSON-bestand"),
        (_other_json, "geen modelbestand"),
        (_list_json, "geen modelbestand"),
        (_newer, "versie 2"),
        (_short_coef, "coef"),
        (_no_idf, "onvolledig of beschadigd"),
        (_nan_coef, "onvolledig of beschadigd"),
    ],
)
def test_a_corrupt_or_foreign_model_file_is_a_clear_error(trained, tmp_path, spoil, fragment):
    path = tmp_path / "model.json"
    spoil(path, trained[2].read_bytes())
    with pytest.raises(InputError) as caught:
        load_theme_model(path)
    message = str(caught.value)
    assert fragment in message and str(path) in message
    assert "inclusie themes learn" in message and "paths.theme_model" in message


def test_a_model_for_other_groups_is_refused(trained, tmp_path):
    from test_themes import write_user_themes  # tests/read is on sys.path (pytest)

    themes = write_user_themes(tmp_path)  # the bundled taxonomy plus a group `ai`
    with pytest.raises(InputError, match="niet in het model: ai") as caught:
        load_theme_model(trained[2], themes)
    assert str(trained[2]) in str(caught.value)
    with pytest.raises(InputError, match="bestaat niet"):
        load_theme_model(tmp_path / "weg.json")


def test_keyword_suggestions_are_not_keywords_yet(trained):
    from inclusie_analysis.read.themes import _stems, _words

    fitted, sample, _ = trained
    table = keyword_suggestions(fitted, sample.frame)
    assert not table.empty and set(table["group"]) <= set(groups())
    assert (table["coefficient"] > 0).all() and (table["answers_in_group"] >= 1).all()
    assert (table["answers_in_group"] <= table["answers"]).all()
    for theme in load_themes().values():
        stems = {" ".join(_stems(_words(k))) for k in (*theme.keywords, theme.label)}
        assert not set(table.loc[table["group"] == theme.group, "term"]) & stems


# ---------------------------------------------------------------------------------------------
# Cleaning says which coder


def test_code_answers_names_the_coder():
    frame = pd.DataFrame({"text": TEXTS[:3]})
    learnt = code_answers(frame)
    assert learnt["coder"].str.startswith(f"geleerd: theme_model.json ({N_SAMPLE} antwoorden").all()
    keywords = code_answers(frame, coder="keywords")
    assert (keywords["coder"] == "trefwoorden").all()
    assert keywords["themes"].tolist() == [";".join(code_text(t)) for t in TEXTS[:3]]


def test_a_user_model_from_the_settings_is_used(trained, tmp_path, monkeypatch):
    settings = tmp_path / "inclusie.toml"
    (tmp_path / "eigen.json").write_bytes(trained[2].read_bytes())
    settings.write_text('[paths]\ntheme_model = "eigen.json"\n', encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(settings))
    coded = code_answers(pd.DataFrame({"text": TEXTS[:2]}))
    assert coded["coder"].str.startswith(f"geleerd: eigen.json ({SUBSET} antwoorden").all()


def test_user_themes_with_other_groups_fall_back_to_keywords(tmp_path):
    from test_themes import write_user_themes  # tests/read is on sys.path (pytest)

    themes = write_user_themes(tmp_path)
    coded = code_answers(pd.DataFrame({"text": ["Graag meer over ChatGPT"]}), taxonomy=themes)
    assert coded["coder"].tolist() == ["trefwoorden"] and coded["themes"].tolist() == ["ai"]


# ---------------------------------------------------------------------------------------------
# Reading coded answers and the command


def test_a_coding_workbook_is_read(tmp_path):
    path = tmp_path / "gold.xlsx"
    rows = [
        {"id": "1", "text": "Meer budget", **{g: "nee" for g in groups()}},
        {"id": "2", "text": "Niemand neemt het voortouw", **{g: "" for g in groups()}},
    ]
    rows[0]["middelen"] = "ja"
    rows[1] |= {"regierol": "Ja", "partners": "ja"}
    pd.DataFrame(rows).to_excel(path, index=False)
    frame = read_coded([path]).frame
    assert frame["themes"].tolist() == ["middelen", "partners;regierol"]
    labelled = pd.DataFrame(rows).rename(columns={"regierol": "Regierol", "text": "Text"})
    labelled.to_excel(tmp_path / "labels.xlsx", index=False)  # columns named by their labels
    assert read_coded([tmp_path / "labels.xlsx"]).frame["themes"].tolist()[1] == "partners;regierol"
    assert frame["paraphrase_group"].tolist() == ["1", "2"]
    rows[1]["toegang"] = "misschien"
    pd.DataFrame(rows).to_excel(path, index=False)
    with pytest.raises(InputError, match="'misschien' is geen ja of nee") as caught:
        read_coded([path])
    assert caught.value.row == 3 and caught.value.column == "toegang"


def test_a_csv_with_an_unknown_group_names_the_row(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text("id,text,themes\n1,Meer budget,middelen\n2,Iets,robots\n", encoding="utf-8")
    with pytest.raises(InputError, match="robots") as caught:
        read_coded([path])
    assert caught.value.row == 3


def test_themes_learn_writes_the_model_and_the_suggestions(tmp_path, capsys):
    from inclusie_analysis.cli import main

    out = tmp_path / "model.json"
    part = subset(tmp_path / "deel.csv")  # the plumbing, not the figures: a quick part
    assert main(["themes", "learn", str(part), "--out", str(out), "--kappa", "0.8"]) == 0
    printed = capsys.readouterr()
    assert "Kruisvalidatie" in printed.out and "alle groepen" in printed.out
    assert "Voorgestelde trefwoorden" in printed.out and "paths.theme_model" in printed.err
    model = load_theme_model(out)
    assert model.training["kappa"] == 0.8 and model.training["rows"] == SUBSET
    assert (
        (tmp_path / "model.suggesties.txt")
        .read_text(encoding="utf-8")
        .startswith("Voorgestelde trefwoorden")
    )


def test_coding_needs_no_scikit_learn():
    """Prediction reads the JSON with numpy/scipy: cleaning works with sklearn unimportable."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "import pandas as pd\n"
        "from inclusie_analysis.read.themes import code_answers\n"
        "c = code_answers(pd.DataFrame({'text': ['Meer budget voor het digibankje']}))\n"
        "assert c['coder'][0].startswith('geleerd: '), c['coder'][0]\n"
        "assert 'sklearn' not in [m.split('.')[0] for m in sys.modules if sys.modules[m]]\n"
        "print(c['themes'][0])"
    )
    root = Path(__file__).resolve().parents[2]
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "middelen" in done.stdout


def test_the_method_sentence_says_how_the_bundled_sample_was_coded():
    """The report must not claim people coded the bundled sample: two automated coders did
    (reference/SOURCES.yaml). A user's own model gets no such clause."""
    import pandas as pd

    from inclusie_analysis.read.theme_model import SAMPLE_FILE, coder_sentence, file_sha256

    bundled = (
        f"geleerd: theme_model.json ({N_SAMPLE} antwoorden, sha256 {file_sha256(SAMPLE_FILE)[:12]})"
    )
    own = "geleerd: eigen.json (220 antwoorden, sha256 0123456789ab, getraind 2026-11-30)"
    text = coder_sentence([pd.DataFrame({"coder": [bundled]})])
    assert "synthetische antwoorden" in text and "taalmodellen" in text
    assert "door mensen" not in text
    mine = coder_sentence([pd.DataFrame({"coder": [own]})])
    assert "eigen.json" in mine and "taalmodellen" not in mine
    assert "language models" in coder_sentence([pd.DataFrame({"coder": [bundled]})], "en")
