"""The Textual planner. Only this package imports Textual."""
