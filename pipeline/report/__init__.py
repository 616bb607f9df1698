"""Reports: the finished run in, files out. `record` (run.json and the CSV rows), `view` (the one view
every report shows, with `finding_groups`: the findings grouped and counted), `xlsx` (report.xlsx),
`departments` (departments/*.xlsx), `html` (report.html and summary.html from the jinja2 templates
shipped as `pipeline/report/templates`), `text` (the CLI summary, from `batch_view`), `changes_view`
(the changes since the last period as the reports show them)."""
