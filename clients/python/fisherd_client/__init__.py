"""fisherd's Python client: stream gradients to a fisherd daemon and get preconditioned updates back.

Blocking (``Client``) and asyncio (``AsyncClient``) APIs with the TypeScript client's semantics; PyTorch
helpers live in ``fisherd_client.torch`` (imported on demand, so that this package needs only numpy,
websockets and protobuf); ``fisherd_client.metrics`` writes each step's diagnostics to TensorBoard or
any W&B-style logger.
"""
from .async_client import PROTOCOL_VERSION, AsyncClient, Reconnect
from .config import (
    Adam, Block, Cosine, DampingAdaptation, Exponential, Kronecker, Optimizer, Piecewise, SessionConfig, Structure,
    Track, Warmup,
)
from .errors import (
    CLIENT_ERROR_CODES, DAEMON_ERROR_CODES, ConnectionClosed, FisherdError, NonFiniteError, RequestTimeout,
    ResumeGap, ShapeError, Unauthorized,
)
from .local_daemon import LocalDaemon
from .metrics import MetricsLogger, log_metrics, tensorboard_writer
from .results import Diagnostics, Estimate, Estimates, KroneckerBasis, ServerInfo, SessionInfo, Update
from .step_input import StepInput
from .sync_client import Client

__version__ = '0.1.0'

__all__ = [
    'PROTOCOL_VERSION', 'AsyncClient', 'Client', 'Reconnect', 'LocalDaemon',
    'SessionConfig', 'Optimizer', 'Adam', 'DampingAdaptation', 'Block', 'Structure', 'Kronecker', 'Track',
    'Exponential', 'Cosine', 'Warmup', 'Piecewise',
    'StepInput', 'Update', 'Diagnostics', 'MetricsLogger', 'log_metrics', 'tensorboard_writer', 'Estimates', 'Estimate', 'KroneckerBasis', 'SessionInfo', 'ServerInfo',
    'FisherdError', 'ShapeError', 'NonFiniteError', 'ConnectionClosed', 'RequestTimeout', 'ResumeGap',
    'Unauthorized', 'DAEMON_ERROR_CODES', 'CLIENT_ERROR_CODES',
]
