"""Schemas of the cleaned frames: checked before anything is written, so a report never reads
a frame with a missing column, a wrong type or an impossible value."""

from __future__ import annotations

import functools

import pandas as pd

from inclusie_analysis.errors import InputError


@functools.cache
def _schemas() -> dict:
    """Frame name → its pandera schema; built once, on first use (pandera is a heavy import)."""
    return {name: build() for name, build in _BUILDERS.items()}


# Column rules shared by several frames.


def _text() -> dict:
    return {"dtype": "string", "nullable": True}


def _key():
    """A pseudonymised respondent or response id."""
    import pandera.pandas as pa

    return pa.Column("string", pa.Check.str_matches(r"^[pr]_[0-9a-f]{16}$"))


def _wave():
    import pandera.pandas as pa

    return pa.Column("int64", pa.Check.in_range(2000, 2100))


def _geo() -> dict:
    """The municipality columns of a respondent (2025 NIS code and the areas above it)."""
    import pandera.pandas as pa

    return {
        "nis_code": pa.Column("string", pa.Check.str_matches(r"^\d{5}$"), nullable=True),
        "municipality": pa.Column(**_text()),
        "arrondissement": pa.Column(**_text()),
        "province": pa.Column(**_text()),
        "region": pa.Column("string", pa.Check.isin(["Vlaanderen", "Brussel"]), nullable=True),
    }


def _free_text(where: str):
    """A column of free text that must hold no e-mail address and no formula (`where` names
    the text in the check's message)."""
    import pandera.pandas as pa

    return pa.Column(
        "string",
        [
            pa.Check(
                lambda s: ~s.str.contains(r"[\w.+-]+@[\w-]+\.\w", regex=True),
                error=f"e-mailadres in {where}",
            ),
            pa.Check(lambda s: ~s.str.match(r"^[=+@\t\r]"), error=f"formule in {where}"),
        ],
    )


# One schema per cleaned frame: the events step's first, then the survey's.


def _events():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "event_id": pa.Column("string", unique=True),
            "year": _wave(),
            "type": pa.Column("string", nullable=True),
            "mode": pa.Column(
                "string", pa.Check.isin(["online", "physical", "hybrid"]), nullable=True
            ),
            "hours": pa.Column(
                "Float64",
                pa.Check.in_range(0, 100, include_min=False),
                nullable=True,
                coerce=True,
            ),
            "goal": pa.Column("string", pa.Check.str_matches(r"^OD\d\.\d$"), nullable=True),
            "attended": pa.Column("Int64", pa.Check.ge(0), nullable=True, coerce=True),
            "registered": pa.Column("Int64", pa.Check.ge(0), nullable=True, coerce=True),
            "source_row": pa.Column("int64", pa.Check.ge(1), coerce=True),
        },
        strict=False,
    )


def _activities():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "activity_id": pa.Column("string", unique=True),
            "type": pa.Column(
                "string", pa.Check.isin(["newsletter", "article", "good_practice", "other"])
            ),
        },
        strict=False,
    )


def _attendance():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "event_id": pa.Column("string"),
            "participant_id": pa.Column("string", pa.Check.str_matches(r"^p_[0-9a-f]{16}$")),
            "present": pa.Column(bool),
            "nis_code": pa.Column("string", pa.Check.str_matches(r"^\d{5}$"), nullable=True),
        },
        unique=["event_id", "participant_id"],
        strict=False,
    )


def _feedback():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "response_id": pa.Column("string", unique=True),
            "event_id": pa.Column("string", nullable=True),
            "satisfaction": pa.Column("Int64", pa.Check.in_range(1, 5), nullable=True, coerce=True),
            "nps": pa.Column("Int64", pa.Check.in_range(0, 10), nullable=True, coerce=True),
        },
        strict=False,
    )


def _feedback_text():
    import pandera.pandas as pa

    return pa.DataFrameSchema({"text": _free_text("tekst")}, strict=False)


def _respondents():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "respondent_id": _key(),
            "wave": _wave(),
            "instrument": pa.Column("string"),
            "source_file": pa.Column("string"),
            "source_row": pa.Column("int64", pa.Check.ge(1)),
            "submitted_at": pa.Column("datetime64[us]", nullable=True, coerce=True),
            "complete": pa.Column(bool),
            **_geo(),
            "geo_method": pa.Column(**_text()),
        },
        unique=["respondent_id"],
        strict=False,
    )


def _needs():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "respondent_id": _key(),
            "wave": _wave(),
            "theme": pa.Column("string"),
            "item": pa.Column("string"),
            "answer": pa.Column("string"),
            "level_number": pa.Column("Int64", pa.Check.in_range(1, 20), nullable=True),
            "dont_know": pa.Column(bool),
        },
        unique=["respondent_id", "item"],
        strict=False,
    )


def _items():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "wave": _wave(),
            "instrument": pa.Column("string"),
            "item": pa.Column("string"),
            "label": pa.Column("string"),
            "theme": pa.Column("string"),
            "change": pa.Column(
                "string", pa.Check.isin(["reworded", "split", "merged", "new"]), nullable=True
            ),
            "previous": pa.Column(**_text()),
            "from_items": pa.Column(**_text()),
            "comparable": pa.Column(bool),
        },
        unique=["wave", "item"],
        strict=True,
    )


def _choices():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "respondent_id": _key(),
            "wave": _wave(),
            "question": pa.Column("string"),
            "choice": pa.Column("string"),
            "label": pa.Column("string"),
        },
        unique=["respondent_id", "question", "choice"],
        strict=True,
    )


def _answers_text():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "respondent_id": _key(),
            "wave": _wave(),
            "question": pa.Column("string"),
            "text": _free_text("open antwoord"),
            "scrubbed": pa.Column("string"),
            "formula": pa.Column(bool),
            "themes": pa.Column("string"),
            "coder": pa.Column("string"),  # which coder gave the themes, and its sample
        },
        strict=True,
    )


_BUILDERS = {
    "events": _events,
    "activities": _activities,
    "attendance": _attendance,
    "feedback": _feedback,
    "feedback_text": _feedback_text,
    "respondents": _respondents,
    "needs": _needs,
    "items": _items,
    "choices": _choices,
    "answers_text": _answers_text,
}


def validate(name: str, frame: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Check a cleaned frame against its schema.

    A failure that can be traced to input rows (through `source_file`/`source_row`, or the
    `respondent_id` looked up in `sources`) names the file, row and question; only a failure
    with no input behind it is reported as a bug of ours.
    """
    import pandera.errors

    schema = _schemas().get(name)
    if schema is None:
        return frame
    try:
        return schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        located = _locate(frame, cases, sources)
        if located is None:
            shown = cases.head(5).to_dict("records")
            raise InputError(
                f"de opgeschoonde tabel '{name}' voldoet niet aan haar schema: {shown}",
                hint="Dit is een fout in inclusie-analysis; meld ze met dit bericht.",
            ) from None
        file, row, question, check, count = located
        more = f" ({count} rijen met hetzelfde probleem)" if count > 1 else ""
        raise InputError(
            f"na het opschonen voldoet de tabel '{name}' niet aan de controle '{check}'{more}.",
            file=file,
            row=row,
            column=question,
            hint="Controleer deze cel in het exportbestand en de variabele in het codeboek "
            "(types, opties, scheidingsteken); pas de cel of het codeboek aan en start opnieuw.",
        ) from None


def _locate(frame: pd.DataFrame, cases: pd.DataFrame, sources: pd.DataFrame | None):
    """(file, row, question, check, rows affected) of the first failure with an input row."""
    index = pd.to_numeric(cases.get("index"), errors="coerce").dropna().astype("int64")
    index = index[index.isin(frame.index)]
    if index.empty:
        return None
    rows = frame.loc[index.unique()]
    first = rows.iloc[0]
    check = str(cases.loc[index.index[0], "check"])
    question = first.get("question") if "question" in rows.columns else None
    if {"source_file", "source_row"} <= set(rows.columns):
        return first["source_file"], int(first["source_row"]), question, check, len(rows)
    if sources is None or "respondent_id" not in rows.columns:
        return None
    origin = sources.drop_duplicates("respondent_id").set_index("respondent_id")
    if first["respondent_id"] not in origin.index:
        return None
    file, row = origin.loc[first["respondent_id"], ["source_file", "source_row"]]
    return file, int(row), question, check, len(rows)
