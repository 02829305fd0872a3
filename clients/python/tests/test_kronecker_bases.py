"""``Client.kronecker_bases`` / ``AsyncClient.kronecker_bases`` (proto ``EstimatesRequest.kronecker_basis``)
and EKFAC's eigenbasis squares over the wire, without torch: the bases are the daemon's eigendecompositions
of the bias-corrected factors (eigenvalues to 1e-6 relative of a float64 ``eigh`` of the float32-rounded
sums the client sent; eigenvectors orthonormal rows that diagonalize the factors to 1e-6 of the largest
eigenvalue: they travel as float32); squares of a basis no longer installed are refused, typed."""
from __future__ import annotations

import asyncio

import numpy as np
import pytest

from fisherd_client import AsyncClient, Block, Client, FisherdError, Kronecker, KroneckerBasis, LocalDaemon, Optimizer, SessionConfig
from fisherd_client.statistics import DiagonalMoments, kronecker_statistics_from_pairs


def test_kronecker_bases_are_the_eigendecompositions_of_the_bias_corrected_factors(daemon: LocalDaemon) -> None:
    """Raw client, one EKFAC block beside a diagonal one (efgd, β = 0.5): version 0 and empty before the
    first factors; after steps 1 and 2 (refresh_every 1) versions 1 and 2, each the eigh of Ā_t, Ḡ_t."""
    rng = np.random.default_rng(3)
    out_dim, inputs, b, beta = 3, 4, 6, 0.5
    order = inputs + 1
    config = SessionConfig(dim=out_dim * order + 2, optimizer=Optimizer('efgd', step_size=1.0, damping=0.1), ema_decay=beta,
                           blocks=[Block('fc', out_dim * order, Kronecker(out_dim, inputs, True, eigenvalue_corrected=True)),
                                   Block('d', 2)])
    with Client.connect(daemon.url) as client:
        client.open_session(config)
        [none] = client.kronecker_bases('fc')
        assert isinstance(none, KroneckerBasis)
        assert (none.kind, none.block, none.version, none.outputs, none.input_order) == ('empirical_fisher', 'fc', 0, out_dim, order)
        assert none.output_vectors.shape == (0, out_dim) and none.input_values.shape == (0,)
        A = np.zeros((order, order))
        G = np.zeros((out_dim, out_dim))
        for step in (1, 2):
            fc = kronecker_statistics_from_pairs(count=b, activations=rng.normal(size=(b, inputs)),
                                                 output_grads=rng.normal(size=(b, out_dim)), bias=True, block='fc')
            rows = rng.normal(size=(b, 2))
            update = client.step(reduction='sum', batch_size=b, statistics=[
                fc, DiagonalMoments(count=b, sum=rows.sum(0), sum_squares=(rows ** 2).sum(0), block='d')])
            assert update.diagnostics.values['layer.fc.basisVersion'] == step
            # what the daemon received: the float32 rounding of the sums
            f32 = lambda m: m.astype(np.float32).astype(np.float64)  # noqa: E731
            A = beta * A + (1 - beta) * f32(fc.factors.input_sum) / b
            G = beta * G + (1 - beta) * f32(fc.factors.empirical.sum) / b
            Abar, Gbar = A / (1 - beta ** step), G / (1 - beta ** step)
            [basis] = client.kronecker_bases('fc')
            assert (basis.kind, basis.version) == ('empirical_fisher', step)
            assert basis.output_vectors.dtype == np.float32 and basis.output_vectors.shape == (out_dim, out_dim)
            assert basis.input_vectors.dtype == np.float32 and basis.input_vectors.shape == (order, order)
            assert basis.input_values.dtype == np.float64
            for values, vectors, M in ((basis.input_values, basis.input_vectors, Abar), (basis.output_values, basis.output_vectors, Gbar)):
                want = np.sort(np.clip(np.linalg.eigvalsh(M), 0, None))[::-1]
                np.testing.assert_allclose(values, want, rtol=1e-6, atol=1e-9 * want[0])
                Q = vectors.astype(np.float64)
                np.testing.assert_allclose(Q @ Q.T, np.eye(len(values)), atol=1e-6)
                np.testing.assert_allclose(Q @ M @ Q.T, np.diag(values), atol=1e-6 * values[0])
        with pytest.raises(FisherdError) as e:
            client.kronecker_bases('nope')
        assert (e.value.code, e.value.field, e.value.local) == ('UNKNOWN_BLOCK', 'estimatesRequest.kroneckerBasis', False)
        with pytest.raises(FisherdError) as e:
            client.kronecker_bases('d')
        assert (e.value.code, e.value.field) == ('INVALID_CONFIG', 'estimatesRequest.kroneckerBasis')
        client.close_session(discard=True)


def test_squares_of_a_stale_basis_are_refused_typed_and_the_session_goes_on(daemon: LocalDaemon) -> None:
    """refresh_every 1: every factor step installs a new basis; squares of the previous version are refused
    (INVALID_CONFIG naming basisVersion, not applied), the current version's are taken at the same step."""
    rng = np.random.default_rng(5)
    out_dim, inputs, b = 2, 3, 4
    order = inputs + 1
    config = SessionConfig(dim=out_dim * order, optimizer=Optimizer('efgd', step_size=1.0, damping=0.1),
                           blocks=[Block('fc', out_dim * order, Kronecker(out_dim, inputs, True, eigenvalue_corrected=True, refresh_every=1))])
    with Client.connect(daemon.url) as client:
        client.open_session(config)
        for step in (1, 2):
            fc = kronecker_statistics_from_pairs(count=b, activations=rng.normal(size=(b, inputs)),
                                                 output_grads=rng.normal(size=(b, out_dim)), bias=True, block='fc')
            assert client.step(reduction='sum', batch_size=b, statistics=[fc]).diagnostics.values['layer.fc.basisVersion'] == step
        fc = kronecker_statistics_from_pairs(count=b, activations=rng.normal(size=(b, inputs)),
                                             output_grads=rng.normal(size=(b, out_dim)), bias=True, block='fc')
        fc.factors.eigenbasis_squares = np.ones(out_dim * order)
        fc.factors.eigenbasis_count = b
        fc.factors.basis_version = 1
        with pytest.raises(FisherdError) as e:
            client.step(reduction='sum', batch_size=b, statistics=[fc])
        assert e.value.code == 'INVALID_CONFIG' and not e.value.local
        assert e.value.field is not None and e.value.field.endswith('basisVersion'), e.value.field
        assert e.value.step == 3
        fc.factors.basis_version = 2
        update = client.step(reduction='sum', batch_size=b, statistics=[fc])
        assert update.step == 3 and update.diagnostics.values['layer.fc.basisVersion'] == 3
        client.close_session(discard=True)


def test_the_async_client_returns_the_same_bases(daemon: LocalDaemon) -> None:
    rng = np.random.default_rng(8)
    config = SessionConfig(dim=6, optimizer=Optimizer('efgd', step_size=1.0, damping=0.1),
                           blocks=[Block('fc', 6, Kronecker(2, 2, True, eigenvalue_corrected=True, refresh_every=2))])
    fc = kronecker_statistics_from_pairs(count=3, activations=rng.normal(size=(3, 2)), output_grads=rng.normal(size=(3, 2)), bias=True, block='fc')

    async def run() -> KroneckerBasis:
        client = await AsyncClient.connect(daemon.url)
        try:
            await client.open_session(config)
            await client.step(reduction='sum', batch_size=3, statistics=[fc])
            [basis] = await client.kronecker_bases('fc')
            await client.close_session(discard=True)
            return basis
        finally:
            await client.close()

    basis = asyncio.run(run())
    assert (basis.kind, basis.block, basis.version, basis.outputs, basis.input_order) == ('empirical_fisher', 'fc', 1, 2, 3)
    A = fc.factors.input_sum.astype(np.float32).astype(np.float64) / 3
    np.testing.assert_allclose(basis.input_values, np.sort(np.clip(np.linalg.eigvalsh(A), 0, None))[::-1], rtol=1e-6)
