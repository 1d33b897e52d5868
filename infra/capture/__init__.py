"""Capture: fetch a page (or read a file), keep its raw bytes, extract its main text and
metadata, register it as a Source."""
