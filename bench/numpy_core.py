#!/usr/bin/python3
"""numpy baseline of fisherd's core benchmark (bench/core.ts): one estimate update plus one damped solve
per step, with the same algorithms as src/curvature, float32 storage and float64 small solves.

Run by bench/core.ts with Debian's /usr/bin/python3 (python3-numpy over the system BLAS/LAPACK, normally
libopenblas0-pthread), NOT a pyenv python3 that cannot see Debian's packages. It answers requests line by
line (see `main`), so that core.ts runs numpy's steps and fisherd's round by round in the same run.

Written as numpy at its best: every array preallocated and written in place (`out=`), the Gram as a symmetric
rank-k update (ssyrk) accumulated into the estimate, and the Cholesky factorization in place on a float64
buffer kept from step to step (dpotrf/dpotrs through ctypes, as scipy.linalg.lapack would call them).

Per step (the estimator's `update` then `empiricalFisher.solve(meanGrad, λ)`), with rows G (b×D):
  mean       ḡ = Gᵀ1/b                                         (float32 gemv)
  diagonal   d ← βd + (1−β)/b · Σ_n G_n²;  x = ḡ / (d/c + λ)   (c = 1 − βᵗ)
  full       C ← βC + (1−β)/b · GᵀG (ssyrk, upper triangle);  x = c·(C + cλI)⁻¹ḡ by float64 Cholesky (dpotrf, dpotrs)
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
    """BLAS/LAPACK routines numpy itself does not expose (scipy.linalg.blas / scipy.linalg.lapack would; scipy is
    not installed here), called through ctypes in the very libraries numpy loaded (Debian's libblas.so.3 /
    liblapack.so.3 alternatives, OpenBLAS): ssyrk (numpy's own `g.T @ g` measured 6-14x slower than ssyrk
    here), and dpotrf / dpotrs in place on reused buffers (numpy.linalg.cholesky returns a fresh array)."""

    def __init__(self):
        def load(name):
            path = f"/usr/lib/x86_64-linux-gnu/{name}.so.3"
            if not os.path.exists(path):
                path = ctypes.util.find_library(name[3:])
            return ctypes.CDLL(path) if path else None

        self.blas = load("libblas")
        self.lib = load("liblapack")
        if self.blas is None or self.lib is None:
            raise RuntimeError("libblas.so.3 / liblapack.so.3 not found: the numpy baseline needs the system BLAS/LAPACK")
        self.info = ctypes.c_int(0)
        self.ptr = ctypes.c_void_p

    def ssyrk_upper(self, c, g, alpha, beta, offset=0, n=None):
        """c (n×n, row-major, upper triangle) ← beta·c + alpha·gᵀg over columns [offset, offset + n) of g (b×D, C order)."""
        b, d = g.shape
        n = d if n is None else n
        a = ctypes.c_void_p(g.ctypes.data + 4 * offset)
        # cblas_ssyrk(RowMajor, Upper, Trans, N, K, alpha, A, lda, beta, C, ldc)
        self.blas.cblas_ssyrk(101, 121, 112, n, b, ctypes.c_float(alpha), a, d, ctypes.c_float(beta), c.ctypes.data_as(self.ptr), n)

    def cholesky_solve_inplace(self, a, v):
        """v ← a⁻¹v for SPD float64 a whose row-major upper triangle is set; a is overwritten by its factor
        (LAPACK 'L' on the column-major view = row-major upper), v in place."""
        n = ctypes.c_int(a.shape[0])
        one = ctypes.c_int(1)
        lower = ctypes.c_char_p(b"L")
        # Fortran ABI: every argument by reference, plus the hidden length of the UPLO string at the end.
        self.lib.dpotrf_(lower, ctypes.byref(n), a.ctypes.data_as(self.ptr), ctypes.byref(n), ctypes.byref(self.info), ctypes.c_size_t(1))
        if self.info.value != 0:
            raise RuntimeError(f"dpotrf info {self.info.value}")
        self.lib.dpotrs_(lower, ctypes.byref(n), ctypes.byref(one), a.ctypes.data_as(self.ptr), ctypes.byref(n),
                         v.ctypes.data_as(self.ptr), ctypes.byref(n), ctypes.byref(self.info), ctypes.c_size_t(1))
        if self.info.value != 0:
            raise RuntimeError(f"dpotrs info {self.info.value}")
        return v

    def cholesky_solve(self, a, v):
        """x = a⁻¹v for a small SPD float64 a (the low-rank case's m×m system): copies, then in place."""
        return self.cholesky_solve_inplace(np.array(a, dtype=np.float64, order="C"), np.array(v, dtype=np.float64))


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
    """Every array preallocated; each operation writes into its buffer (no per-step allocation)."""

    def __init__(self, case, beta, lam, lapack):
        d, b = case["dim"], case["batch"]
        self.d = np.zeros(d, dtype=np.float32)
        self.sq = np.empty(d, dtype=np.float32)
        self.mean32 = np.empty(d, dtype=np.float32)
        self.mean = np.empty(d)
        self.tmp = np.empty(d)
        self.x = np.empty(d)
        self.w = np.full(b, 1 / b, dtype=np.float32)
        self.beta, self.lam, self.t = beta, lam, 0

    def step(self, g):
        b = g.shape[0]
        np.matmul(self.w, g, out=self.mean32)  # ḡ (sgemv)
        self.mean[:] = self.mean32
        np.einsum("ij,ij->j", g, g, out=self.sq)  # Σ g² in one pass
        self.sq *= np.float32((1 - self.beta) / b)
        self.d *= np.float32(self.beta)
        self.d += self.sq
        self.t += 1
        c = 1 - self.beta**self.t
        np.multiply(self.d, 1 / c, out=self.tmp)
        self.tmp += self.lam
        return np.divide(self.mean, self.tmp, out=self.x)


class Full:
    """C ← βC + (1−β)/b·GᵀG by ssyrk into the upper triangle; the solve copies C into a float64 buffer kept from
    step to step and factors it there (dpotrf, dpotrs in place)."""

    def __init__(self, case, beta, lam, lapack):
        d = case["dim"]
        self.n = d
        self.c = np.zeros((d, d), dtype=np.float32)
        self.a = np.empty((d, d))
        self.x = np.empty(d)
        self.beta, self.lam, self.t, self.lapack = beta, lam, 0, lapack

    def update(self, g, offset=0):
        b = g.shape[0]
        self.lapack.ssyrk_upper(self.c, g, (1 - self.beta) / b, self.beta, offset, self.n)
        self.t += 1

    def solve(self, v):
        c = 1 - self.beta**self.t
        np.copyto(self.a, self.c)
        self.a.flat[:: self.n + 1] += c * self.lam
        self.x[:] = v
        self.lapack.cholesky_solve_inplace(self.a, self.x)
        self.x *= c
        return self.x

    def step(self, g):
        if not hasattr(self, "mean"):
            self.w = np.full(g.shape[0], 1 / g.shape[0], dtype=np.float32)
            self.mean32 = np.empty(self.n, dtype=np.float32)
            self.mean = np.empty(self.n)
        np.matmul(self.w, g, out=self.mean32)
        self.mean[:] = self.mean32
        self.update(g)
        return self.solve(self.mean)


class Blocks:
    def __init__(self, case, beta, lam, lapack):
        self.sizes = case["blocks"]
        self.parts = [Full({"dim": s}, beta, lam, lapack) for s in self.sizes]
        self.out = np.empty(case["dim"])
        self.mean32 = np.empty(case["dim"], dtype=np.float32)
        self.mean = np.empty(case["dim"])
        self.w = np.full(case["batch"], 1 / case["batch"], dtype=np.float32)

    def step(self, g):
        np.matmul(self.w, g, out=self.mean32)
        self.mean[:] = self.mean32
        offset = 0
        for size, part in zip(self.sizes, self.parts):
            part.update(g, offset)  # ssyrk on the block's columns (lda = D): no copy of the slice
            self.out[offset:offset + size] = part.solve(self.mean[offset:offset + size])
            offset += size
        return self.out


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


class Runner:
    """One case's estimate and rows, stepped on request (the caller interleaves numpy's steps with fisherd's)."""

    def __init__(self, case, beta, lam, lapack):
        self.case = case
        self.estimate = KINDS[case["kind"]](case, beta, lam, lapack)
        self.g = hashed_rows(case["batch"], case["dim"])
        for _ in range(case.get("warmupSteps", 1)):
            self.x = self.estimate.step(self.g)

    def step(self):
        c0 = time.process_time()  # CPU time of the process, all threads (OpenBLAS's too)
        t0 = time.perf_counter()
        self.x = self.estimate.step(self.g)
        ms = (time.perf_counter() - t0) * 1e3
        return {"ms": ms, "cpuMs": (time.process_time() - c0) * 1e3}

    def sample(self):
        if not np.all(np.isfinite(self.x)):
            raise RuntimeError(f"{self.case['name']}: non-finite solve")
        return [float(self.x[i]) for i in self.case["sampleIndices"]]


def main():
    """Line protocol on stdin/stdout, one JSON object per line each way:
    {"op": "info"} → versions and BLAS; {"op": "case", "case": {...}, "decay", "damping"} → {"ok": true} after
    the warm-up steps; {"op": "step"} → {"ms", "cpuMs"} of one timed step; {"op": "sample"} → {"sample": [...]}
    (the last solve at the case's sampleIndices); {"op": "exit"}. An error answers {"error": "..."}."""
    lapack = None
    runner = None
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        try:
            if op == "info":
                reply = {"numpy": np.__version__, "python": sys.version.split()[0], "executable": sys.executable, "blas": blas_info()}
            elif op == "case":
                lapack = lapack or Lapack()
                runner = None
                runner = Runner(request["case"], request["decay"], request["damping"], lapack)
                reply = {"ok": True}
            elif op == "step":
                reply = runner.step()
            elif op == "sample":
                reply = {"sample": runner.sample()}
            elif op == "exit":
                break
            else:
                reply = {"error": f"unknown op {op}"}
        except Exception as error:  # reported to the caller, which shows it in the table
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
