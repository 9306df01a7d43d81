"""Readers of official publications."""
