"""Evaluation: probe a model with the eval split's contexts and classify its first lines."""
from .probe import DEPRECATED, MISMATCH, OUTCOMES, REPLACEMENT, classify
from .runner import read_records, run_probes, summarize

__all__ = ["DEPRECATED", "MISMATCH", "OUTCOMES", "REPLACEMENT", "classify", "read_records", "run_probes", "summarize"]
