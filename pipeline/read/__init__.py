"""Reading: paths in, one `Batch` of departments, projects and indicators out, with provenance.

discover (which entries under the inputs are table files) → guard (refuse hostile files before parsing)
→ sheets (cells of every sheet) → layout (what every row is) → normalise (Decimal 万元, indicators via
`indicators`) → batch (the whole read, resubmissions resolved, money reconciled). Nothing here prints.
"""
