"""E-mail templates, shipped in the wheel as ``imgcoach.templates`` (see pyproject)."""
