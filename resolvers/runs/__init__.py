"""Roster runs: read the register, solve in a separate process, write the proposed roster."""
