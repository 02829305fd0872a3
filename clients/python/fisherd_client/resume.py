"""What a client does with its pending steps after re-attaching to its session (reconnect and resume).

The daemon answers OpenSession with ``resumed_step`` (its last applied, or last checkpointed, step) and
the update of that step. Each step the client sent and has no answer for is then, in step order:

* ``resumed_step`` itself: applied, but its update was lost with the connection; answered from the
  daemon's ``last_update``, never sent again (the daemon would refuse a repeated step);
* ``resumed_step + 1``, ``+ 2``, ...: not applied; sent again, in order;
* anything else (a step after a gap, or one the daemon lost by restarting from an older checkpoint):
  failed with RESUME_GAP, so that the training loop sends the steps from ``resumed_step + 1`` again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Tuple


@dataclass
class ResumePlan:
    """Request ids by what happens to them, and the client's next step index."""

    from_last_update: List[int] = field(default_factory=list)
    resend: List[int] = field(default_factory=list)  # in step order
    gaps: List[Tuple[int, int]] = field(default_factory=list)  # (request id, step)
    next_step: int = 1


def plan_resume(pending_steps: Iterable[Tuple[int, int]], resumed_step: int, last_update_step: Optional[int]) -> ResumePlan:
    """The plan for ``pending_steps`` = ``(request id, step)`` pairs after resuming at ``resumed_step``;
    ``last_update_step`` is the step of the daemon's ``last_update`` (None when it sent none)."""
    plan = ResumePlan()
    expected = resumed_step + 1
    for request_id, step in sorted(pending_steps, key=lambda item: item[1]):
        if step == resumed_step and last_update_step == step:
            plan.from_last_update.append(request_id)
        elif step == expected:
            plan.resend.append(request_id)
            expected += 1
        else:
            plan.gaps.append((request_id, step))
    plan.next_step = expected
    return plan
