"""Printed documents: ReportLab builds PDF bytes from plain dataclasses; printer back ends send them.

fonts.py finds an embeddable CJK font; layout.py has page sizes, styles and flowables
shared by every document; archive.py keeps a copy of everything printed.
"""
