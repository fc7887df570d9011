"""Interfaces screens: imported files and the exceptions waiting for a clerk or a supervisor."""
