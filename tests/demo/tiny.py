"""A one-cell notebook with a `parameters` cell, for tests of the report runner."""

from __future__ import annotations

from pathlib import Path

import nbformat


def tiny_notebook(path: Path, source: str) -> Path:
    """Write a notebook whose only code after its parameters cell is `source`."""
    params = nbformat.v4.new_code_cell("output_dir = ''")
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, path)
    return path
