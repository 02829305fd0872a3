"""Each step's diagnostics into the tools people already log to: TensorBoard and any W&B-style logger.

    from fisherd_client.metrics import MetricsLogger, tensorboard_writer

    writer = tensorboard_writer('runs/mnist-ngd')       # torch.utils.tensorboard.SummaryWriter
    log = MetricsLogger(writer, wandb.log, prefix='fisherd/')
    for batch in loader:
        update = client.step(...)
        log(update)                                      # every scalar of the step, at update.step

A sink is either a writer with TensorBoard's ``add_scalar(tag, scalar_value, global_step=...)`` (the
SummaryWriter of ``torch.utils.tensorboard`` or of tensorboardX), which gets one call per scalar, or any
callable taking ``(metrics: dict, step=int)`` — ``wandb.log``'s shape — which gets the whole dict once.
The scalars are ``Diagnostics.as_dict()``: ``loss`` (when sent), ``batch_size``, ``update_norm``,
``compute_seconds`` and the named values (``gradNorm``, ``stepSize``, ``damping``, ``cosineEfFisher``,
``meanSnr``), the same names as the columns of ``fisherd trace export --csv``.

This module imports nothing beyond the standard library; ``tensorboard_writer`` imports torch's
SummaryWriter when called (it needs the ``tensorboard`` package).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Protocol, Sequence, Union, runtime_checkable

from .results import Diagnostics, Update


@runtime_checkable
class ScalarWriter(Protocol):
    """What this module needs of a TensorBoard SummaryWriter (torch.utils.tensorboard or tensorboardX)."""

    def add_scalar(self, tag: str, scalar_value: float, global_step: Optional[int] = None) -> Any: ...


#: A W&B-style logger: called as ``log(metrics, step=step)``.
DictLogger = Callable[..., Any]
Sink = Union[ScalarWriter, DictLogger]


def _metrics_of(source: Union[Update, Diagnostics], prefix: str) -> Dict[str, float]:
    if isinstance(source, Update):
        return source.diagnostics.as_dict(prefix)
    if isinstance(source, Diagnostics):
        return source.as_dict(prefix)
    raise TypeError(f'expected an Update or Diagnostics, got {type(source).__name__}')


def log_metrics(source: Union[Update, Diagnostics], sinks: Union[Sink, Sequence[Sink]], *,
                step: Optional[int] = None, prefix: str = '') -> Dict[str, float]:
    """Writes one step's scalars to each sink and returns them.

    Args:
        source: an ``Update`` (its step is the default ``step``) or its ``Diagnostics``.
        sinks: a SummaryWriter-like writer (``add_scalar``), a callable ``(dict, step=...)``, or a list of them.
        step: the step to log at; default ``source.step`` (required for a bare ``Diagnostics``).
        prefix: put in front of every name (e.g. ``'fisherd/'``).
    """
    if step is None:
        if not isinstance(source, Update):
            raise TypeError('log_metrics of a bare Diagnostics needs step=')
        step = source.step
    metrics = _metrics_of(source, prefix)
    for sink in ([sinks] if isinstance(sinks, ScalarWriter) or callable(sinks) else list(sinks)):
        if isinstance(sink, ScalarWriter):
            for tag, value in metrics.items():
                sink.add_scalar(tag, value, global_step=step)
        elif callable(sink):
            sink(dict(metrics), step=step)
        else:
            raise TypeError(f'a sink is a writer with add_scalar or a callable logger, got {type(sink).__name__}')
    return metrics


class MetricsLogger:
    """Logs every update it is called with to the same sinks (see the module's docstring).

    Args:
        *sinks: SummaryWriter-like writers and/or callables ``(dict, step=...)``.
        prefix: put in front of every name (default none; e.g. ``'fisherd/'``).
        every: log only steps that are multiples of this (default 1: every step).
    """

    def __init__(self, *sinks: Sink, prefix: str = '', every: int = 1) -> None:
        if not sinks:
            raise ValueError('MetricsLogger needs at least one sink')
        for sink in sinks:
            if not (isinstance(sink, ScalarWriter) or callable(sink)):
                raise TypeError(f'a sink is a writer with add_scalar or a callable logger, got {type(sink).__name__}')
        if not isinstance(every, int) or every < 1:
            raise ValueError(f'every must be an integer >= 1, got {every!r}')
        self.sinks = tuple(sinks)
        self.prefix = prefix
        self.every = every

    def __call__(self, update: Update) -> Optional[Dict[str, float]]:
        """Logs ``update``'s scalars at ``update.step`` (when it is a multiple of ``every``); returns them."""
        if update.step % self.every != 0:
            return None
        return log_metrics(update, self.sinks, prefix=self.prefix)


def tensorboard_writer(log_dir: Optional[str] = None, **kwargs: Any) -> ScalarWriter:
    """A ``torch.utils.tensorboard.SummaryWriter`` (``log_dir`` and ``kwargs`` as it takes them).

    Raises ImportError saying what to install when torch or the tensorboard package is missing.
    """
    try:
        from torch.utils.tensorboard import SummaryWriter  # type: ignore[import-not-found]
    except ImportError as e:
        raise ImportError(
            f'tensorboard_writer needs PyTorch and the tensorboard package (pip install tensorboard): {e}') from e
    return SummaryWriter(log_dir=log_dir, **kwargs)  # type: ignore[no-any-return]
