"""Closed vocabularies an IMG uses (exams, countries, specialties), shared by the CLI, the app, the importers and
the shortlist. Pure: no database, no UI; every parser refuses the unknown with a UserError and suggestions."""
