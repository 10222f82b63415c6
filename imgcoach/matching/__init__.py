"""Program data, eligibility, the interview/match model and the shortlist optimiser (pure domain code).

Nothing here imports a UI or the database: the services layer feeds plain values in and stores the results.
"""
