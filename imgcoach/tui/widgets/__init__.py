"""Widgets receive data and post messages; they never query the database."""
