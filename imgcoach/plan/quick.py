"""The plan as the app's first frame reads it: stdlib sqlite3 only, no SQLAlchemy (storage.quickread).

Offered through the plan API so the app (a face) never imports storage; the loaded screen then switches
to the ordinary use cases (load_plan).
"""

from imgcoach.storage.quickread import read_plan as read_plan_quickly

__all__ = ["read_plan_quickly"]
