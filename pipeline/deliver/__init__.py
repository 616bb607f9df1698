"""Delivery: a written run folder and the checked [email] settings (`pipeline.settings.EmailSettings`)
in, an e-mail out. `email` (the MIME message and the sent.json record), `smtp` (the server, the password
from the environment)."""
