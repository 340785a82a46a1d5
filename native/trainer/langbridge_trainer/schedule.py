"""Learning rate per optimizer step, re-warmed in every stage.

Each stage warms up linearly to its peak and decays to its minimum on its own (Marco-LLM's two
stages have their own peak rates; Ibrahim et al. 2024 show continual pretraining wants the rate
re-warmed and re-decayed). The rate is a pure function of (stage, step within stage), so resuming
needs no scheduler state beyond the step counters.
"""

from __future__ import annotations

import math

from .spec import StageSpec


def warmup_steps(stage: StageSpec, total_steps: int) -> int:
    if stage.warmup_steps is not None:
        return min(stage.warmup_steps, total_steps)
    return int(round((stage.warmup_ratio or 0.0) * total_steps))


def learning_rate(stage: StageSpec, step: int, total_steps: int) -> float:
    """LR for the `step`-th (0-based) optimizer step of a stage of `total_steps` steps."""
    warm = warmup_steps(stage, total_steps)
    if step < warm:
        # (step + 1) so the first step already moves the weights.
        return stage.peak_lr * (step + 1) / warm
    span = max(total_steps - warm, 1)
    if stage.schedule == "cosine":
        progress = min((step - warm) / span, 1.0)
        return stage.min_lr + (stage.peak_lr - stage.min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))
    # Warmup-stable-decay (MiniCPM): hold the peak, then decay linearly to min_lr over the last
    # decay_fraction of the stage's steps, reaching min_lr on its final step.
    decay = max(int(round(stage.decay_fraction * total_steps)), 1)
    decay_start = total_steps - decay
    if step < decay_start:
        return stage.peak_lr
    progress = min((step - decay_start + 1) / decay, 1.0)
    return stage.peak_lr + (stage.min_lr - stage.peak_lr) * progress
