"""Qt views: windows, dialogs, item models. Views call services; they never import SQLAlchemy."""
