"""Calendar files: read iCalendar exports into plain events, write the plan back out.

Pure adapters: no database, no UI. Services turn ParsedEvents into rows and rows into ExportItems.
"""
