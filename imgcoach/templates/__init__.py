"""Jinja2 templates (e-mails, outreach drafts), shipped in the wheel as ``imgcoach.templates``.

The repository's top-level ``templates`` is a link to this folder, so both paths name the same files.
"""
