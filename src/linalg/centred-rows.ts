/**
 * `syrkDiagCentred` for backends without a one-pass kernel: the rows are centred chunk by chunk into a
 * scratch array of U's type (each difference rounded to it, as an `axpby` into that array would) and
 * handed to the backend's own `syrkDiag`. Memory: one chunk of at most `chunkElements` numbers.
 */
import type { Backend, Vec } from './backend.js';

/** Elements per centred chunk: 2²⁰ numbers (4 MiB of float32), at least one row. */
const CHUNK_ELEMENTS = 1 << 20;

export function syrkDiagCentredByChunks(backend: Backend, d: Vec, U: Vec, k: number, n: number, centre: Vec,
  alpha: number, beta: number, chunkElements = CHUNK_ELEMENTS): void {
  if (k === 0 || n === 0) {
    backend.syrkDiag(d, U, 0, n, alpha, beta);
    return;
  }
  const rowsPerChunk = Math.max(1, Math.min(k, Math.floor(chunkElements / n)));
  const chunk = U instanceof Float32Array ? new Float32Array(rowsPerChunk * n) : new Float64Array(rowsPerChunk * n);
  for (let r0 = 0; r0 < k; r0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, k - r0);
    for (let r = 0; r < rows; r++) {
      const from = (r0 + r) * n;
      const to = r * n;
      for (let i = 0; i < n; i++) chunk[to + i] = U[from + i]! - centre[i]!;
    }
    backend.syrkDiag(d, chunk.subarray(0, rows * n), rows, n, alpha, r0 === 0 ? beta : 1);
  }
}

/**
 * `sums ← β·sums + α·Σ_r (U_r − c)` with each difference rounded to U's storage type (float32 rows:
 * `Math.fround`), summed in float64 row by row: `CentredSquares.sums` for backends without a fused kernel.
 */
export function centredColumnSums(sums: Vec, U: Vec, k: number, n: number, centre: Vec, alpha: number, beta: number): void {
  const round = U instanceof Float32Array ? Math.fround : (x: number) => x;
  const acc = new Float64Array(n);
  for (let r = 0; r < k; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) acc[i] += round(U[base + i]! - centre[i]!);
  }
  for (let i = 0; i < n; i++) sums[i] = (beta === 0 ? 0 : beta * sums[i]!) + alpha * acc[i]!;
}
