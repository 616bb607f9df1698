"""Delivery: a written run folder in, an e-mail out. `settings` (the checked [email] section), `email`
(the MIME message, SMTP, and the sent.json record)."""
