"""The shared kernel every feature stands on: clock, errors, settings, file locations, the context type."""
