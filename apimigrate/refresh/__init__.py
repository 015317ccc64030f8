"""Scheduled refresh: rescan, learn what the promoted model has not, promote behind gates."""
from .config import RefreshConfig, RefreshConfigError, load_config
from .gates import GateResult, Gates, judge
from .lock import Busy
from .pipeline import RefreshError, RefreshInterrupted, RefreshResult, Reporter, refresh

__all__ = ["Busy", "GateResult", "Gates", "RefreshConfig", "RefreshConfigError", "RefreshError",
           "RefreshInterrupted", "RefreshResult", "Reporter", "judge", "load_config", "refresh"]
