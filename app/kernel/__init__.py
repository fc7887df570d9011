"""The shared kernel: what every layer may import and what imports nothing of the program.

errors (UserError and its kinds), messages (translation marks), money (Decimal yuan and
integer fen), localtime (the station's days), context (Actor: who is acting) and masking
(how personal data is shown). app.db, app.printing, app.services and app.views all build on
these; a module here imports only the standard library and other kernel modules.
"""
