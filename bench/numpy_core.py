#!/usr/bin/python3
"""numpy baseline of fisherd's core benchmark (bench/core.ts): one estimate update plus one damped solve
per step, with the same algorithms as src/curvature, float32 storage and float64 small solves.

Run by bench/core.ts with Debian's /usr/bin/python3 (python3-numpy over the system BLAS/LAPACK, normally
libopenblas0-pthread), NOT a pyenv python3 that cannot see Debian's packages. Input: one JSON object on
stdin, {"cases": [...], "decay": beta, "damping": lambda, "reps": n, "budgetSeconds": s}. Output: one
JSON object on stdout, {"numpy": version, "blas": {...}, "results": [{"case", "ms", "cpuMs", "reps",
"samples", "sample"}]} (ms: median wall time per step; cpuMs: median process CPU time per step), where "sample" is the last solve at the case's "sampleIndices" (compared with fisherd's).

Per step (the estimator's `update` then `empiricalFisher.solve(meanGrad, λ)`), with rows G (b×D):
  mean       ḡ = Gᵀ1/b                                         (float32 gemv)
  diagonal   d ← βd + (1−β)/b · Σ_n G_n²;  x = ḡ / (d/c + λ)   (c = 1 − βᵗ)
  full       C ← βC + (1−β)/b · GᵀG (sgemm);  x = c·(C + cλI)⁻¹ḡ by float64 Cholesky (dpotrf, dpotrs)
  blocks     the full update and solve per block of columns
  low-rank   U ← [√β U; √((1−β)/b) G], Gram extended by the cross terms V[U;V]ᵀ, truncated to the top r
             directions by a float64 eigh of the m×m Gram (U ← Q_rᵀU, Gram ← Λ_r), Woodbury solve
             x = (ḡ − Uᵀ(cλI + UUᵀ)⁻¹Uḡ)/λ with an m×m float64 Cholesky
"""
import ctypes
import ctypes.util
import json
import os
import sys
import time

try:
    import numpy as np
except ImportError as error:  # the caller reports "numpy missing" with this reason
    print(json.dumps({"error": f"numpy is not importable by {sys.executable}: {error}"}))
    sys.exit(0)


def blas_info():
    """Which BLAS/LAPACK numpy actually runs: the shared objects mapped after a BLAS call, plus threadpoolctl."""
    a = np.ones((64, 64), dtype=np.float32)
    a @ a
    np.linalg.cholesky(np.eye(4))
    libraries = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path)
                if ("blas" in name or "lapack" in name) and path not in libraries:
                    libraries.append(path)
    except OSError:
        pass
    info = {"libraries": libraries, "resolved": sorted({os.path.realpath(p) for p in libraries})}
    try:
        from threadpoolctl import threadpool_info  # optional

        info["threadpoolctl"] = threadpool_info()
    except ImportError:
        info["threadpoolctl"] = None
    openblas = next((p for p in info["resolved"] if "libopenblas" in os.path.basename(p)), None)
    if openblas:
        try:
            lib = ctypes.CDLL(openblas)
            lib.openblas_get_config.restype = ctypes.c_char_p
            info["openblasConfig"] = lib.openblas_get_config().decode()
            info["threads"] = lib.openblas_get_num_threads()
        except (OSError, AttributeError):
            pass
    info["summary"] = (
        f"OpenBLAS ({info.get('openblasConfig', '?')}, {info.get('threads', '?')} threads)"
        if openblas
        else ", ".join(info["resolved"]) or "unknown"
    )
    return info


class Lapack:
    """dpotrs from the LAPACK numpy uses (numpy has no triangular solve without scipy)."""

    def __init__(self):
        path = "/usr/lib/x86_64-linux-gnu/liblapack.so.3"
        if not os.path.exists(path):
            path = ctypes.util.find_library("lapack")
        self.lib = ctypes.CDLL(path) if path else None

    def cholesky_solve(self, a, v):
        """x = a⁻¹v for SPD float64 a: numpy's Cholesky (dpotrf) then dpotrs; LU solve if no LAPACK was found."""
        if self.lib is None:
            return np.linalg.solve(a, v)
        lower = np.linalg.cholesky(a)  # row-major L = column-major U (upper)
        n = ctypes.c_int(a.shape[0])
        one = ctypes.c_int(1)
        info = ctypes.c_int(0)
        x = np.array(v, dtype=np.float64, copy=True)
        ptr = ctypes.POINTER(ctypes.c_double)
        # Fortran ABI: every argument by reference, plus the hidden length of the UPLO string at the end.
        self.lib.dpotrs_(
            ctypes.c_char_p(b"U"), ctypes.byref(n), ctypes.byref(one),
            lower.ctypes.data_as(ptr), ctypes.byref(n), x.ctypes.data_as(ptr), ctypes.byref(n), ctypes.byref(info),
            ctypes.c_size_t(1),
        )
        if info.value != 0:
            raise RuntimeError(f"dpotrs info {info.value}")
        return x


def hashed_rows(b, d):
    """The b×D rows of bench/core.ts `hashedRows`: an integer hash of the flat index k, to [−0.5, 0.5), float32."""
    out = np.empty(b * d, dtype=np.float32)
    chunk = 1 << 24
    for start in range(0, b * d, chunk):
        h = np.arange(start, min(start + chunk, b * d), dtype=np.uint32)
        h *= np.uint32(0x9E3779B1)
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        out[start : start + len(h)] = h.astype(np.float64) / 2**32 - 0.5
    return out.reshape(b, d)


class Diagonal:
    def __init__(self, case, beta, lam, lapack):
        self.d = np.zeros(case["dim"], dtype=np.float32)
        self.beta, self.lam, self.t = beta, lam, 0

    def step(self, g):
        b = g.shape[0]
        mean = (g.T @ np.full(b, 1 / b, dtype=np.float32)).astype(np.float64)
        self.d *= self.beta
        self.d += np.float32((1 - self.beta) / b) * np.einsum("ij,ij->j", g, g)
        self.t += 1
        c = 1 - self.beta**self.t
        return mean / (self.d.astype(np.float64) / c + self.lam)


class Full:
    def __init__(self, case, beta, lam, lapack):
        d = case["dim"]
        self.c = np.zeros((d, d), dtype=np.float32)
        self.beta, self.lam, self.t, self.lapack = beta, lam, 0, lapack

    def update(self, g):
        b = g.shape[0]
        gt = np.ascontiguousarray(g.T)  # sgemm on a contiguous transpose: 3–7× faster than numpy's A.T @ A path
        self.c *= self.beta
        self.c += np.float32((1 - self.beta) / b) * (gt @ g)
        self.t += 1

    def solve(self, v):
        c = 1 - self.beta**self.t
        a = self.c.astype(np.float64)
        a[np.diag_indices_from(a)] += c * self.lam
        return c * self.lapack.cholesky_solve(a, v)

    def step(self, g):
        b = g.shape[0]
        mean = (g.T @ np.full(b, 1 / b, dtype=np.float32)).astype(np.float64)
        self.update(g)
        return self.solve(mean)


class Blocks:
    def __init__(self, case, beta, lam, lapack):
        self.sizes = case["blocks"]
        self.parts = [Full({"dim": s}, beta, lam, lapack) for s in self.sizes]

    def step(self, g):
        b = g.shape[0]
        mean = (g.T @ np.full(b, 1 / b, dtype=np.float32)).astype(np.float64)
        out, offset = [], 0
        for size, part in zip(self.sizes, self.parts):
            part.update(g[:, offset:offset + size])
            out.append(part.solve(mean[offset:offset + size]))
            offset += size
        return np.concatenate(out)


class LowRank:
    def __init__(self, case, beta, lam, lapack):
        self.d, self.r = case["dim"], case["rank"]
        self.u = np.zeros((0, self.d), dtype=np.float32)
        self.gram = np.zeros((0, 0))
        self.beta, self.lam, self.t, self.lapack = beta, lam, 0, lapack

    def step(self, g):
        b = g.shape[0]
        mean = (g.T @ np.full(b, 1 / b, dtype=np.float32)).astype(np.float64)
        before = self.u.shape[0]
        # A ← βA: rows by √β, Gram by β; append √((1−β)/b)·G
        v = np.float32(np.sqrt((1 - self.beta) / b)) * g
        u = np.concatenate([np.float32(np.sqrt(self.beta)) * self.u, v])
        m = u.shape[0]
        cross = (v @ u.T).astype(np.float64)  # k×m: the new Gram entries V[U;V]ᵀ
        gram = np.zeros((m, m))
        gram[:before, :before] = self.beta * self.gram
        gram[before:, :] = cross
        gram[:, before:] = cross.T
        if m > self.r:
            values, vectors = np.linalg.eigh(gram)  # ascending
            top = vectors[:, ::-1][:, : self.r]  # Q_r (m×r)
            u = np.ascontiguousarray(top.T.astype(np.float32)) @ u
            gram = np.diag(np.maximum(values[::-1][: self.r], 0))
        self.u, self.gram = u, gram
        self.t += 1
        c = 1 - self.beta**self.t
        projected = (self.u @ mean.astype(np.float32)).astype(np.float64)
        coefficients = self.lapack.cholesky_solve(self.gram + c * self.lam * np.eye(self.gram.shape[0]), projected)
        back = self.u.T @ coefficients.astype(np.float32)
        return (mean - back) / self.lam


KINDS = {"diagonal": Diagonal, "full": Full, "blocks": Blocks, "lowrank": LowRank}


def run_case(case, beta, lam, reps, budget, lapack):
    estimate = KINDS[case["kind"]](case, beta, lam, lapack)
    g = hashed_rows(case["batch"], case["dim"])
    started = time.perf_counter()
    for _ in range(case.get("warmupSteps", 1)):
        estimate.step(g)
    samples, cpu_samples = [], []
    while len(samples) < reps and (not samples or time.perf_counter() - started < budget):
        c0 = time.process_time()  # CPU time of the process, all threads (OpenBLAS's too)
        t0 = time.perf_counter()
        x = estimate.step(g)
        samples.append((time.perf_counter() - t0) * 1e3)
        cpu_samples.append((time.process_time() - c0) * 1e3)
    if not np.all(np.isfinite(x)):
        raise RuntimeError(f"{case['name']}: non-finite solve")
    sample = [float(x[i]) for i in case["sampleIndices"]]
    return {
        "case": case["name"], "ms": float(np.median(samples)), "cpuMs": float(np.median(cpu_samples)), "reps": len(samples),
        "samples": samples, "sample": sample,
    }


def main():
    request = json.load(sys.stdin)
    lapack = Lapack()
    out = {"numpy": np.__version__, "python": sys.version.split()[0], "executable": sys.executable, "blas": blas_info(), "results": []}
    for case in request["cases"]:
        out["results"].append(
            run_case(case, request["decay"], request["damping"], request["reps"], request["budgetSeconds"], lapack)
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
