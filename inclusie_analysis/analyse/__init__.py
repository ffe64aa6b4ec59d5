"""Step 3, analyse: cleaned frames → the numbers of the reports, each with its uncertainty.

In: the cleaned frames of `clean.datasets` (`load_needs`, `load_events`). Out: tidy frames and
sentences: estimates with intervals (`stats`, `survey`), the yearly numbers per area
(`yearly` for reach, `needs_numbers`, `waves` for the change between survey waves, `findings`
for the summary, `regions`, `coverage`), the action plan's indicators (`indicators`),
feedback summaries (`feedback`), training the learnt coder of open answers (`theme_training`,
its coding workbook and agreement; the taxonomy and coders are `read.themes` and
`read.theme_model`) and the ranking of next year's themes (`planning`). Nothing here reads or
writes a file of the user's.
"""
