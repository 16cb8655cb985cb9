"""Roster runs in GraphQL: start, watch, cancel, publish."""
