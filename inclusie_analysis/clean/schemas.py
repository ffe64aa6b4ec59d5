"""Schemas of the cleaned frames: checked before anything is written, so a report never reads
a frame with a missing column, a wrong type or an impossible value."""

from __future__ import annotations

import functools

import pandas as pd

from inclusie_analysis.errors import InputError


@functools.cache
def _schemas() -> dict:
    import pandera.pandas as pa

    text = {"dtype": "string", "nullable": True}
    key = pa.Column("string", pa.Check.str_matches(r"^[pr]_[0-9a-f]{16}$"))
    wave = pa.Column("int64", pa.Check.in_range(2000, 2100))
    geo = {
        "nis_code": pa.Column("string", pa.Check.str_matches(r"^\d{5}$"), nullable=True),
        "municipality": pa.Column(**text),
        "arrondissement": pa.Column(**text),
        "province": pa.Column(**text),
        "region": pa.Column("string", pa.Check.isin(["Vlaanderen", "Brussel"]), nullable=True),
    }
    no_email = pa.Check(
        lambda s: ~s.str.contains(r"[\w.+-]+@[\w-]+\.\w", regex=True), error="e-mailadres in tekst"
    )
    no_formula = pa.Check(lambda s: ~s.str.match(r"^[=+@\t\r]"), error="formule in tekst")
    events = {
        "events": pa.DataFrameSchema(
            {
                "event_id": pa.Column("string", unique=True),
                "year": wave,
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
        ),
        "activities": pa.DataFrameSchema(
            {
                "activity_id": pa.Column("string", unique=True),
                "type": pa.Column(
                    "string", pa.Check.isin(["newsletter", "article", "good_practice", "other"])
                ),
            },
            strict=False,
        ),
        "attendance": pa.DataFrameSchema(
            {
                "event_id": pa.Column("string"),
                "participant_id": pa.Column("string", pa.Check.str_matches(r"^p_[0-9a-f]{16}$")),
                "present": pa.Column(bool),
                "nis_code": pa.Column("string", pa.Check.str_matches(r"^\d{5}$"), nullable=True),
            },
            unique=["event_id", "participant_id"],
            strict=False,
        ),
        "feedback": pa.DataFrameSchema(
            {
                "response_id": pa.Column("string", unique=True),
                "event_id": pa.Column("string", nullable=True),
                "satisfaction": pa.Column(
                    "Int64", pa.Check.in_range(1, 5), nullable=True, coerce=True
                ),
                "nps": pa.Column("Int64", pa.Check.in_range(0, 10), nullable=True, coerce=True),
            },
            strict=False,
        ),
        "feedback_text": pa.DataFrameSchema(
            {"text": pa.Column("string", [no_email, no_formula])}, strict=False
        ),
    }
    return events | {
        "respondents": pa.DataFrameSchema(
            {
                "respondent_id": key,
                "wave": wave,
                "instrument": pa.Column("string"),
                "source_file": pa.Column("string"),
                "source_row": pa.Column("int64", pa.Check.ge(1)),
                "submitted_at": pa.Column("datetime64[us]", nullable=True, coerce=True),
                "complete": pa.Column(bool),
                **geo,
                "geo_method": pa.Column(**text),
            },
            unique=["respondent_id"],
            strict=False,
        ),
        "needs": pa.DataFrameSchema(
            {
                "respondent_id": key,
                "wave": wave,
                "theme": pa.Column("string"),
                "item": pa.Column("string"),
                "answer": pa.Column("string"),
                "level_number": pa.Column("Int64", pa.Check.in_range(1, 20), nullable=True),
                "dont_know": pa.Column(bool),
            },
            unique=["respondent_id", "item"],
            strict=False,
        ),
        "items": pa.DataFrameSchema(
            {
                "wave": wave,
                "instrument": pa.Column("string"),
                "item": pa.Column("string"),
                "label": pa.Column("string"),
                "theme": pa.Column("string"),
                "change": pa.Column(
                    "string", pa.Check.isin(["reworded", "split", "merged", "new"]), nullable=True
                ),
                "previous": pa.Column(**text),
                "from_items": pa.Column(**text),
                "comparable": pa.Column(bool),
            },
            unique=["wave", "item"],
            strict=True,
        ),
        "choices": pa.DataFrameSchema(
            {
                "respondent_id": key,
                "wave": wave,
                "question": pa.Column("string"),
                "choice": pa.Column("string"),
                "label": pa.Column("string"),
            },
            unique=["respondent_id", "question", "choice"],
            strict=True,
        ),
        "answers_text": pa.DataFrameSchema(
            {
                "respondent_id": key,
                "wave": wave,
                "question": pa.Column("string"),
                "text": pa.Column(
                    "string",
                    [
                        pa.Check(
                            lambda s: ~s.str.contains(r"[\w.+-]+@[\w-]+\.\w", regex=True),
                            error="e-mailadres in open antwoord",
                        ),
                        pa.Check(
                            lambda s: ~s.str.match(r"^[=+@\t\r]"), error="formule in open antwoord"
                        ),
                    ],
                ),
                "scrubbed": pa.Column("string"),
                "formula": pa.Column(bool),
                "themes": pa.Column("string"),
            },
            strict=True,
        ),
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
