"""The business: rules, workflows and calculations. Never imports Qt.

Service functions take a `Database` (app.db.engine) and an `Actor` (who acts, where),
open one unit of work, and raise `UserError` subclasses for anything a clerk can fix.
"""
