"""Review: a read `Batch` in, findings out, as a budget performance reviewer would make them.

reconcile (money adds up, every check recorded), controls (approved control figures), framework
(level names resolved against the indicator framework) and rules/ (pure rule functions over projects and
indicators: kit, project, values); rows flattens the reviewed batch into one typed row per department,
project and indicator for the tables, the reports and the history.
"""
