"""Write .xlsx files that are byte-identical for identical content.

openpyxl stamps the save time into `docProps/core.xml` and every zip entry; both are pinned
here so `inclusie demo --seed 1` twice gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

FIXED_TIME = datetime(2025, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def save_workbook(workbook, path: Path, title: str) -> None:
    """Save an openpyxl workbook with fixed document properties and zip entry dates."""
    props = workbook.properties
    props.title = title
    props.creator = "inclusie-analysis demo (synthetisch)"
    props.description = "SYNTHETISCHE DEMODATA - geen echte personen of antwoorden."
    props.keywords = "synthetisch; demo"
    props.created = FIXED_TIME
    for sheet in workbook.worksheets:
        # An answer that starts with "=" is text in a real export, not a formula.
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
