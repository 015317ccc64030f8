"""Random inputs drawn fresh each run, replayable: the seed is printed and kept with the test report."""
from __future__ import annotations

import os
import random

import torch


def fresh_rng(request, env_var: str) -> random.Random:
    """A Random (and torch's global generator) seeded from `env_var` when set, else from the OS."""
    seed = int(os.environ.get(env_var, int.from_bytes(os.urandom(4), "little")))
    torch.manual_seed(seed)
    print(f"{env_var}={seed}")
    request.node.user_properties.append(("seed", seed))
    return random.Random(seed)
