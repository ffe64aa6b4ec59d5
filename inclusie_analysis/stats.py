"""Statistics and tables over the cleaned frames; every function returns a tidy or display frame."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.clean.geo import province_order

NO_MUNICIPALITY = {"nl": "Geen gemeente opgegeven", "en": "No municipality given"}
TOTAL = {"nl": "Totaal", "en": "Total"}


def count_responses_by_province(respondents: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """Responses per province (rows, west to east, then Brussels) and survey wave (columns).

    Organisations without a municipality get their own row, so the total is every response.
    """
    province = respondents["province"].astype("object").fillna(NO_MUNICIPALITY[language])
    table = pd.crosstab(province, respondents["wave"]).reindex(
        [*province_order(), NO_MUNICIPALITY[language]], fill_value=0
    )
    table.loc[TOTAL[language]] = table.sum()
    table.index.name = "Provincie" if language == "nl" else "Province"
    table.columns = [str(c) for c in table.columns]
    table.columns.name = "Bevraging" if language == "nl" else "Survey wave"
    return table
