"""imgcoach: plan exams, clinical rotations, letters and applications for IMGs."""

__version__ = "0.1.0"
