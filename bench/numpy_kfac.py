#!/usr/bin/python3
"""numpy baseline of fisherd's K-FAC benchmark (bench/kfac.ts): the same math on the same factors, phase by
phase, answering one JSON request per line so that kfac.ts interleaves numpy's phases with fisherd's.

Layers: [[outputs, inputs], ...], each with a bias column (in' = inputs + 1). Per layer, the factor sums are
S_A = XᵀX (X: b × in' from the hash of bench/core.ts `hashedRows`, float32 rounded, float64 product) and
S_G = YᵀY (Y: b × out), counts b, and v = the hash of `hashedRows(1, out·in')` (the gradient to solve with).
  ema      A ← βA + (1−β)/b·S_A, G ← βG + (1−β)/b·S_G for every layer, in place
  refresh  numpy.linalg.eigh of Ā = A/(1−βᵗ) and Ḡ (LAPACK syevd, the same routine as fisherd's), eigenvalues
           clamped at 0, into arrays kept per layer
  solve    X = v as out × in' (the block's layout: weight row-major, then the bias column); Y = V_Gᵀ X V_A;
           Y /= λ_G λ_Aᵀ + λ (the divisor formed in the solve, as fisherd forms it: λ is the solve's argument);
           X = V_G Y V_Aᵀ (matmuls into preallocated arrays) for every layer, in the session's storage type
           `dtype` as fisherd multiplies (math.md "Precision"): float32 (the default storage) takes the
           eigenvectors rounded to float32 once per refresh (counted in refresh) and float32 matmuls (sgemm),
           float64 float64 ones
Requests: {"op": "info"}, {"op": "setup", "layers", "batch", "decay", "damping", "dtype"}, {"op": "ema" | "refresh" |
"solve"} → {"ms", "cpuMs"}, {"op": "sample", "indices": [[layer, [i, ...]], ...]} → {"sample": [...]}, {"op": "exit"}.
"""
import json
import sys
import time

import numpy as np

from numpy_core import blas_info, hashed_rows


class Layer:
    def __init__(self, outputs, inputs, batch, dtype):
        self.o, self.i = outputs, inputs + 1
        x = hashed_rows(batch, self.i).astype(np.float64)
        y = hashed_rows(batch, self.o).astype(np.float64)
        self.sa = x.T @ x
        self.sg = y.T @ y
        self.a = np.zeros((self.i, self.i))
        self.g = np.zeros((self.o, self.o))
        # the block's layout (src/curvature/structure.ts): the weight row-major, then the bias
        self.v = hashed_rows(1, self.o * self.i).astype(np.float64).reshape(-1)
        self.vm = np.empty((self.o, self.i), dtype)
        self.out = np.empty(self.o * self.i)
        self.t1 = np.empty((self.o, self.i), dtype)
        self.t2 = np.empty((self.o, self.i), dtype)
        self.x = np.empty((self.o, self.i), dtype)
        self.decomposition = None
        self.ca = np.empty((self.i, self.i))
        self.cg = np.empty((self.o, self.o))
        self.divisor = np.empty((self.o, self.i))


class Model:
    def __init__(self, layers, batch, decay, damping, dtype):
        self.dtype = np.dtype(dtype)
        self.layers = [Layer(o, i, batch, self.dtype) for o, i in layers]
        self.batch, self.decay, self.damping, self.t = batch, decay, damping, 0

    def ema(self):
        alpha = (1 - self.decay) / self.batch
        for layer in self.layers:
            layer.a *= self.decay
            layer.a += alpha * layer.sa
            layer.g *= self.decay
            layer.g += alpha * layer.sg
        self.t += 1

    def refresh(self):
        c = 1 / (1 - self.decay**self.t)
        for layer in self.layers:
            va, qa = np.linalg.eigh(np.multiply(layer.a, c, out=layer.ca))
            vg, qg = np.linalg.eigh(np.multiply(layer.g, c, out=layer.cg))
            np.maximum(va, 0, out=va)
            np.maximum(vg, 0, out=vg)
            if self.dtype != np.float64:
                qa, qg = qa.astype(self.dtype), qg.astype(self.dtype)
            layer.decomposition = (va, qa, vg, qg)

    def solve(self):
        for layer in self.layers:
            va, qa, vg, qg = layer.decomposition
            o, i = layer.o, layer.i
            divisor = np.multiply.outer(vg, va, out=layer.divisor)
            divisor += self.damping
            layer.vm[:, : i - 1] = layer.v[: o * (i - 1)].reshape(o, i - 1)
            layer.vm[:, i - 1] = layer.v[o * (i - 1):]
            np.matmul(qg.T, layer.vm, out=layer.t1)
            np.matmul(layer.t1, qa, out=layer.t2)
            layer.t2 /= divisor
            np.matmul(qg, layer.t2, out=layer.t1)
            np.matmul(layer.t1, qa.T, out=layer.x)
            layer.out[: o * (i - 1)].reshape(o, i - 1)[:] = layer.x[:, : i - 1]
            layer.out[o * (i - 1):] = layer.x[:, i - 1]


def main():
    model = None
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        try:
            if op == "info":
                reply = {"numpy": np.__version__, "python": sys.version.split()[0], "blas": blas_info()}
            elif op == "setup":
                model = Model(request["layers"], request["batch"], request["decay"], request["damping"], request.get("dtype", "float64"))
                reply = {"ok": True}
            elif op in ("ema", "refresh", "solve"):
                c0 = time.process_time()
                t0 = time.perf_counter()
                getattr(model, op)()
                reply = {"ms": (time.perf_counter() - t0) * 1e3, "cpuMs": (time.process_time() - c0) * 1e3}
            elif op == "sample":
                reply = {"sample": [float(model.layers[k].out[i]) for k, indices in request["indices"] for i in indices]}
            elif op == "exit":
                break
            else:
                reply = {"error": f"unknown op {op}"}
        except Exception as error:
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
