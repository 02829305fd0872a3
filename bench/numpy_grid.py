"""The numpy baseline of bench/grid.ts: the paper's Table 5 grid on a linear-regression data set (GD, NGD,
EFGD; 100 iterations from theta_0 = 0; a run stops when its loss exceeds 100 x the initial loss), vectorized
over the grid points the way one writes it in numpy: all runs' parameters as the rows of one array, the
empirical Fisher of every run from the same moment tensors fisherd uses (E = Pi T^T - 2 Theta U^T + V), and
np.linalg.solve on the stacked damped matrices (LU with partial pivoting, LAPACK gesv; where numpy raises
on an exactly singular matrix in the stack, that iteration's systems are solved one by one and the
singular runs stop).

stdin: JSON {X: [[...]], y: [...], log10StepSizes, log10Dampings, iterations, divergenceFactor, repeats}
stdout: JSON {seconds: [...], cpuSeconds: [...], numpy, blas, best: {gd|ngd|efgd: [log10 gamma, log10 lambda, loss]},
              finalLosses: {gd|ngd|efgd: [...]}, singular: {...}}
"""
import json
import sys
import time

import numpy as np


def blas_name():
    try:
        from numpy import show_config  # noqa: F401
        cfg = np.__config__.CONFIG if hasattr(np.__config__, 'CONFIG') else None
        if cfg:
            return cfg['Build Dependencies']['blas']['name']
    except Exception:  # pragma: no cover - informational only
        pass
    return 'unknown'


def run_grid(X, y, optimizer, gammas, lambdas, iterations, factor):
    N, D = X.shape
    G = X.T @ X / N
    b = X.T @ y / N
    c = y @ y / (2 * N)
    iu0, iu1 = np.triu_indices(D)
    XX = X[:, iu0] * X[:, iu1]
    mult = np.where(iu0 == iu1, 1.0, 2.0)
    T4 = (XX.T @ XX / N) * mult[None, :]
    U3 = (XX * y[:, None]).T @ X / N
    V2 = XX.T @ (y * y) / N
    if optimizer == 'gd':
        gam = np.asarray(gammas, dtype=float)
        lam = np.zeros_like(gam)
    else:
        gam = np.repeat(gammas, len(lambdas))
        lam = np.tile(lambdas, len(gammas))
    R = gam.size
    theta = np.zeros((R, D))
    final = np.full(R, np.inf)
    singular = 0
    threshold = factor * c
    active = np.arange(R)
    eye = np.eye(D)
    for t in range(1, iterations + 1):
        th = theta[active]
        grad = th @ G - b
        if optimizer == 'gd':
            d = grad
            ok = np.ones(active.size, dtype=bool)
        else:
            if optimizer == 'ngd':
                M = G[None, :, :] + lam[active, None, None] * eye
            else:
                prod = th[:, iu0] * th[:, iu1]
                E = prod @ T4.T - 2 * th @ U3.T + V2
                M = np.empty((active.size, D, D))
                M[:, iu0, iu1] = E
                M[:, iu1, iu0] = E
                M += lam[active, None, None] * eye
            ok = np.ones(active.size, dtype=bool)
            try:
                d = np.linalg.solve(M, grad[:, :, None])[:, :, 0]
            except np.linalg.LinAlgError:
                d = np.empty_like(grad)
                for k in range(active.size):
                    try:
                        d[k] = np.linalg.solve(M[k], grad[k])
                    except np.linalg.LinAlgError:
                        ok[k] = False
                        d[k] = 0
        singular += int((~ok).sum())
        th = th - gam[active, None] * d
        theta[active] = th
        loss = 0.5 * np.einsum('ij,ij->i', th, th @ G) - th @ b + c
        stop = ~ok | np.isnan(loss) | (loss > threshold)
        keep_going = ~stop
        diverged = ok & (loss > threshold)
        final[active[diverged]] = loss[diverged]
        if t == iterations:
            final[active[keep_going]] = loss[keep_going]
        active = active[keep_going]
        if active.size == 0:
            break
    return final, singular, gam, lam


def main():
    request = json.load(sys.stdin)
    X = np.asarray(request['X'], dtype=float)
    y = np.asarray(request['y'], dtype=float)
    gammas = 10.0 ** np.asarray(request['log10StepSizes'])
    lambdas = 10.0 ** np.asarray(request['log10Dampings'])
    seconds = []
    cpu = []
    out = {}
    for _ in range(request.get('repeats', 1)):
        wall0 = time.perf_counter()
        cpu0 = time.process_time()
        results = {o: run_grid(X, y, o, gammas, lambdas, request['iterations'], request['divergenceFactor']) for o in ('gd', 'ngd', 'efgd')}
        seconds.append(time.perf_counter() - wall0)
        cpu.append(time.process_time() - cpu0)
    best = {}
    for o, (final, singular, gam, lam) in results.items():
        k = int(np.argmin(final))
        best[o] = [float(np.log10(gam[k])), None if o == 'gd' else float(np.log10(lam[k])), float(final[k])]
    out = {
        'seconds': seconds,
        'cpuSeconds': cpu,
        'numpy': np.__version__,
        'blas': blas_name(),
        'best': best,
        'finalLosses': {o: [None if not np.isfinite(v) else float(v) for v in r[0]] for o, r in results.items()},
        'singular': {o: r[1] for o, r in results.items()},
    }
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
