"""Step 1, read: exports as the platforms wrote them → raw tables and their meaning.

In: a survey export (CSV, Excel or SPSS from Qualtrics, LimeSurvey, Microsoft Forms, Google
Forms, SurveyMonkey, Kobo, or a plain table) and the codebook of its instrument and wave.
Out: a `readers.RawExport` (the table as typed, the platform, header rows, encoding, notes in
Dutch) and a `codebook.Codebook` (which column holds which variable, what its codes mean).
`readers/` has one module per platform; `infer` guesses a column's kind, `choices` splits a
check-all cell, `codebook_draft` writes a first codebook for a new export. `themes` reads the
theme taxonomy and codes open answers with it, `theme_model` the learnt coder's model: files a
user gives besides the exports, read like the codebooks, that cleaning codes the answers with.
"""
