"""Shared test support: factories and the people every permission test uses."""
