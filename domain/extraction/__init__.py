"""Rule-based, deterministic extraction of candidate claims from a source's text."""

from domain.extraction.actors import ActorEntry
from domain.extraction.candidates import Candidate, extract

__all__ = ["ActorEntry", "Candidate", "extract"]
