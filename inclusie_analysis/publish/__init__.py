"""Step 4, publish: numbers → the reports people read, protected and exported.

In: the cleaned data folder and the settings. Out: `reports/<year>/`: the suite of
parameterised notebooks planned (`suite`) and run with papermill (`report`: the worker pool,
with warm `kernels` and the `runlog`), exported to HTML/PDF (`export`), listed in the year's
`index` and manifest, built with `reportbook` (numbered tables and
figures, `tabellen.xlsx` via `excel`), charts (`plots`), Dutch text (`text`,
`report_tables`), the protection of the linked count tables (`protection`) and the disclosure
audit of everything published (`disclosure`); published paths never show a home folder
(`inclusie_analysis.paths`, below the steps, shared with clean).
"""
