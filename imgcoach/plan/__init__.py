"""The applicant's plan: profile, exams, rotations, study blocks, contacts, letters and cases."""
