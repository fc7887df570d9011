"""Engine and session factory, migrations, and database error handling."""
