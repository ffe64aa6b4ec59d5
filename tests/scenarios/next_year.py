"""Next year's inputs, built from the demo the way the 2026 wave really arrives.

The story (issue 13): the 2026 learning-needs survey comes from another platform (a Google
Forms sheet exported as CSV, or a Qualtrics CSV with three header rows), three questions
are reworded, one need item is added (on AI), one is dropped (cyberveiligheid), the theme
wishes get a new option "Artificiële intelligentie", and the register, attendance lists and
feedback of 2026 come in as usual. The answers are the 2025 demo's answers (synthetic),
re-dated to 2026; the AI item gets seeded random answers.

`build_next_year(demo, folder, platform)` writes `<folder>/raw/{2020,2024,2025,2026}`, a
codebooks folder with the 2020 and 2025 codebooks, a user themes file with the new theme
`ai`, and a settings file; the 2026 codebook is left to `inclusie codebook draft`.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2026
AI_THEME = {
    "label": "Artificiële intelligentie",
    "kinds": ["leernood", "opleidingsthema"],
    "description": "Artificiële intelligentie (AI) verantwoord en inclusief inzetten.",
    "keywords": ["artificiële intelligentie", "AI", "chatgpt", "chatbot", "algoritme"],
}

# 2025 header (Microsoft Forms) → what the 2026 questionnaire asks instead.
NEEDS_2026 = "Hoe groot is uw nood aan ondersteuning rond deze thema's?"
STAGES_2026 = "Hoe ver staat uw bestuur?"
REWORDED = {
    # variable: (2025 text, 2026 text)
    "need_toegang": (
        "Toegang: publieke computerruimtes, toestellen aankopen, internet aanbieden",
        "Toegang: publieke computerruimtes inrichten, toestellen uitlenen, wifi aanbieden",
    ),
    "need_partners": (
        "Een beter zicht op mogelijke partners",
        "Een beter zicht op mogelijke partners in de eigen regio",
    ),
    "formats": (
        "Welke vormen van ondersteuning verkiest u?",
        "Welke vormen van ondersteuning verkiest u het meest?",
    ),
}
DROPPED = {"need_cyberveiligheid": "Cyberveiligheid voor digitale starters"}
AI_ITEM = "Artificiële intelligentie (AI) verantwoord inzetten in de dienstverlening"
AI_OPTION = "Artificiële intelligentie"
THEMES_QUESTION = "Over welke thema's wilt u graag een sessie of opleiding volgen?"
OTHER_THEME_TEXT = "Werken met chatbots in het sociaal huis"
ACCESS_OPTION = "Toegang (toestellen, internet, computerruimtes)"
AI_LEVELS = ["Geen nood", "Kleine nood", "Matige nood", "Grote nood", "Zeer grote nood"]


@dataclass
class Scenario:
    """Where a built scenario lives."""

    folder: Path
    raw: Path
    codebooks: Path
    settings: Path
    export: Path
    themes: Path
    targets: Path
    repeated_row: int  # spreadsheet row of the cell with an option ticked twice (Google only)
    other_row: int  # spreadsheet row of the cell with an "other" answer


def build_next_year(
    demo: Path, folder: Path, platform: str = "googleforms", *, register: bool = True
) -> Scenario:
    """Write the 2026 scenario from the demo in `demo` into `folder` (see the module doc)."""
    raw = folder / "raw"
    for year in ("2020", "2024", "2025"):
        shutil.copytree(demo / year, raw / year)
    survey = _survey_2025(raw / "2025")
    if platform == "googleforms":
        export, repeated, other = _write_google(survey, raw / str(YEAR) / "leernoden-2026.csv")
    elif platform == "qualtrics":
        export, other = _write_qualtrics(survey, raw / str(YEAR) / "leernoden-2026.csv")
        repeated = 0
    else:
        raise ValueError(platform)
    _write_events(raw / str(YEAR), register=register)
    codebooks = folder / "codebooks"
    codebooks.mkdir()
    for name in ("leernoden-2020.yaml", "leernoden-2025.yaml"):
        shutil.copy(ROOT / "surveys" / "codebooks" / name, codebooks / name)
    themes = folder / "themes.yaml"
    bundled = yaml.safe_load(
        (ROOT / "inclusie_analysis" / "reference" / "themes.yaml").read_text(encoding="utf-8")
    )
    bundled["themes"]["ai"] = dict(AI_THEME)
    themes.write_text(yaml.safe_dump(bundled, allow_unicode=True, sort_keys=False), "utf-8")
    targets = folder / "doelen"
    targets.mkdir()
    settings = folder / "inclusie.toml"
    settings.write_text(
        "\n".join(
            [
                "[paths]",
                f'raw = "{raw.as_posix()}"',
                f'codebooks = "{codebooks.as_posix()}"',
                f'reports = "{(folder / "reports").as_posix()}"',
                f'pseudonym_key = "{(folder / "sleutel" / "pseudonym.key").as_posix()}"',
                f'themes = "{themes.as_posix()}"',
                f'targets = "{targets.as_posix()}"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    return Scenario(folder, raw, codebooks, settings, export, themes, targets, repeated, other)


def _survey_2025(folder: Path) -> pd.DataFrame:
    path = next(folder.glob("leernoden-2025*.xlsx"))
    frame = pd.read_excel(path, engine="openpyxl", dtype=object)
    return frame.dropna(how="all").reset_index(drop=True)


def _need_items(frame: pd.DataFrame) -> list[str]:
    """The 2025 need items in questionnaire order (the columns answered on the need scale)."""
    levels = {*AI_LEVELS, "Weet niet"}
    return [
        c
        for c in frame.columns
        if frame[c].dropna().map(str).isin(levels).all() and frame[c].notna().any()
    ]


def _stage_items(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if frame[c].notna().any()
        and frame[c].dropna().map(str).str.match(r"^(Rood|Oranje|Groen)").all()
    ]


def _items_2026(frame: pd.DataFrame) -> list[tuple[str | None, str]]:
    """(2025 column or None for the new item, 2026 item text) for the need grid."""
    old_to_new = {old: new for old, new in REWORDED.values()}
    items = [(c, old_to_new.get(c, c)) for c in _need_items(frame) if c not in DROPPED.values()]
    return [*items, (None, AI_ITEM)]


def _options(cell: object, separator: str = ";") -> list[str]:
    return [p for p in str(cell).split(separator) if p] if isinstance(cell, str) else []


def _dated(value: object) -> pd.Timestamp:
    return pd.Timestamp(value) + pd.DateOffset(years=1)


def _ai_answers(n: int) -> list[str]:
    rng = random.Random(f"scenario-{YEAR}-ai")
    return [rng.choice([*AI_LEVELS, AI_LEVELS[2], AI_LEVELS[3], "Weet niet"]) for _ in range(n)]


def _theme_wishes(frame: pd.DataFrame) -> list[list[str]]:
    """2025's theme wishes, with the new AI option for every third respondent."""
    column = frame[THEMES_QUESTION]
    out = []
    for i, cell in enumerate(column):
        options = _options(cell)
        if i % 3 == 0:
            options.append(AI_OPTION)
        out.append(options)
    return out


def _write_google(frame: pd.DataFrame, path: Path) -> tuple[Path, int, int]:
    """A Google Forms linked-sheet CSV: `Tijdstempel`, grid columns `Vraag [rij]`, ticked
    options joined with ', ', the typed "Other" answer in the same cell."""
    stages, items = _stage_items(frame), _items_2026(frame)
    questions = [c for c in frame.columns[5:8]]  # org type, municipality, role
    header = ["Tijdstempel", *questions]
    header += [f"{STAGES_2026} [{s}]" for s in stages]
    header += [f"{NEEDS_2026} [{new}]" for _, new in items]
    header += [REWORDED["formats"][1], THEMES_QUESTION, *frame.columns[-2:]]
    wishes = _theme_wishes(frame)
    ai = _ai_answers(len(frame))
    access_rows = [i for i, w in enumerate(wishes) if ACCESS_OPTION in w]
    repeated, other = access_rows[0], access_rows[1]
    wishes[repeated] = [*wishes[repeated], ACCESS_OPTION]  # ticked twice, as a sheet edit leaves it
    wishes[other] = [*wishes[other], OTHER_THEME_TEXT]
    rows = []
    for i, r in frame.iterrows():
        row = [_dated(r["Completion time"]).strftime("%d/%m/%Y %H:%M:%S")]
        row += [r[q] for q in questions] + [r[s] for s in stages]
        row += [ai[i] if old is None else r[old] for old, _ in items]
        row.append(", ".join(_options(r[REWORDED["formats"][0]])))
        row.append(", ".join(wishes[i]))
        row += [r[c] for c in frame.columns[-2:]]
        rows.append(["" if pd.isna(v) else v for v in row])
    _write_csv(path, header, rows, lineterminator="\r\n")
    return path, repeated + 2, other + 2


QUALTRICS_META = [
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
]


def _write_qualtrics(frame: pd.DataFrame, path: Path) -> tuple[Path, int]:
    """A Qualtrics CSV (current exporter, choice text): 3 header rows, matrix rows `Q5_1…`,
    check-all options `Q6_1…` holding the option text when ticked, "other" in `Q7_n_TEXT`."""
    stages, items = _stage_items(frame), _items_2026(frame)
    questions = list(frame.columns[5:8])
    formats = _format_options(frame)
    wishes = _theme_wishes(frame)
    wish_options = [*_codebook_options("theme_wishes"), AI_OPTION]
    typed = [[o for o in w if o not in wish_options] for w in wishes]  # "Andere" answers
    codes, texts, ids = [], [], []
    for code, text, import_id in QUALTRICS_META:
        codes.append(code)
        texts.append(text)
        ids.append({"ImportId": import_id})
    for n, q in enumerate(questions, start=1):
        codes.append(f"Q{n}")
        texts.append(q)
        ids.append({"ImportId": f"QID{n}" + ("_TEXT" if n == 2 else "")})

    def block(q: int, stem: str, subs: list[str], suffix: str = "") -> None:
        for k, sub in enumerate(subs, start=1):
            codes.append(f"Q{q}_{k}{suffix}")
            texts.append(f"{stem} - {sub}")
            ids.append({"ImportId": f"QID{q}_{k}{suffix}"})

    block(4, STAGES_2026, stages)
    block(5, NEEDS_2026, [new for _, new in items])
    block(6, REWORDED["formats"][1], formats)
    block(7, THEMES_QUESTION, wish_options)
    codes.append(f"Q7_{len(wish_options) + 1}_TEXT")
    texts.append(f"{THEMES_QUESTION} - Andere, namelijk: - Tekst")
    ids.append({"ImportId": f"QID7_{len(wish_options) + 1}_TEXT"})
    for q, column in ((8, frame.columns[-2]), (9, frame.columns[-1])):
        codes.append(f"Q{q}")
        texts.append(column)
        ids.append({"ImportId": f"QID{q}_TEXT"})
    ai = _ai_answers(len(frame))
    other = next(i for i, w in enumerate(wishes) if ACCESS_OPTION in w and not typed[i])
    typed[other] = [OTHER_THEME_TEXT]
    rows = []
    for i, r in frame.iterrows():
        start, end = _dated(r["Start time"]), _dated(r["Completion time"])
        row = [
            start.strftime("%Y-%m-%d %H:%M:%S"),
            end.strftime("%Y-%m-%d %H:%M:%S"),
            0,
            "",
            100,
            int((end - start).total_seconds()),
            1,
            end.strftime("%Y-%m-%d %H:%M:%S"),
            f"R_{i:04d}SynthetischXy",
            "",
            "",
            "",
            "",
            "",
            "",
            "anonymous",
            "NL",
        ]
        row += [r[q] for q in questions] + [r[s] for s in stages]
        row += [ai[i] if old is None else r[old] for old, _ in items]
        ticked = _options(r[REWORDED["formats"][0]])
        row += [o if o in ticked else "" for o in formats]
        row += [o if o in wishes[i] else "" for o in wish_options]
        row.append("; ".join(typed[i]))
        row += [r[c] for c in frame.columns[-2:]]
        rows.append(["" if pd.isna(v) else v for v in row])
    header_rows = [codes, texts, [json.dumps(x) for x in ids]]
    _write_csv(path, header_rows[0], header_rows[1:] + rows, lineterminator="\n")
    return path, other + 4


def _codebook_options(name: str) -> list[str]:
    codebook = yaml.safe_load(
        (ROOT / "surveys" / "codebooks" / "leernoden-2025.yaml").read_text(encoding="utf-8")
    )
    variable = next(v for v in codebook["variables"] if v["name"] == name)
    return [o["label"] for o in variable["options"]]


def _format_options(frame: pd.DataFrame) -> list[str]:
    seen: list[str] = []
    for cell in frame[REWORDED["formats"][0]]:
        seen += [o for o in _options(cell) if o not in seen]
    return seen


def _write_csv(path: Path, header: list, rows: list[list], lineterminator: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator=lineterminator)
        writer.writerow(header)
        writer.writerows(rows)


def _write_events(folder: Path, *, register: bool) -> None:
    """The 2026 register, attendance lists and feedback, from the demo's generator."""
    from inclusie_analysis.demo import PEOPLE
    from inclusie_analysis.demo import events as ev
    from inclusie_analysis.demo.attendance import write_attendance
    from inclusie_analysis.demo.feedback import write_feedback
    from inclusie_analysis.demo.registers import write_register
    from inclusie_analysis.demo.world import make_people

    def rng(part: str) -> random.Random:
        return random.Random(f"scenario-{part}")

    people = make_people(rng("people"), PEOPLE, 2024)
    events = ev.make_events(rng("events"), YEAR, people, 1)
    faults = ev.EventFaults()
    if register:
        write_register(
            rng("register"), folder / f"activiteiten-{YEAR}.xlsx", YEAR, events, faults, 1
        )
    write_attendance(rng("attendance"), folder / "aanwezigheden", events, faults)
    write_feedback(rng("feedback"), folder / f"feedback-{YEAR}.xlsx", YEAR, events, faults)
