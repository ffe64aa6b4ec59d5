"""Step 2, clean: raw exports and registers → checked, de-identified frames and a ledger.

In: the `read` step's raw tables of every wave, the activity registers, attendance lists,
feedback forms and communication outputs of the year. Out: the cleaned frames (`datasets`:
`clean_year`, written as parquet and read back with `load_needs` / `load_events`), checked
against their `schemas`, with municipalities resolved to 2025 NIS codes (`geo`), free text
de-identified (`deidentify`, `privacy`), and every input row accounted for in the `ledger`
(kept, merged or rejected with a reason), summed up in the data-quality report (`quality`);
which inputs of the year were found, and the Dutch sentences on those missing (`sources`).
`needs` cleans the survey waves (`duplicates` finds double submissions); `events` the
activity registers (`register`), attendance lists (`attendance`), feedback forms
(`feedback_forms`) and communication outputs (`communication`).
"""
