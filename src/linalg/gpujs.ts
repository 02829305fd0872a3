/**
 * The `gpujs` backend: float32 kernels compiled by GPU.js for the fastest mode that works on the host
 * (`gpujs-mode.ts`: headlessgl > webgpu > webasm > cpu). On a machine without a GPU every mode runs on the
 * CPU (~1 GFLOP/s measured here), so this backend matters where headless-gl has real hardware behind it
 * and as a second, independent implementation for the spec suite.
 *
 * What runs where: syrk, gemm, gemv, syrkDiag, diagSolve and axpby are GPU.js kernels; the α/β blend
 * (`C ← α·kernel + βC`) is a JS pass while the kernel's output is copied into the caller's array.
 * dot and nrm2 are float64 JS loops (a GPU reduction would accumulate in float32), and Cholesky and eigh
 * are the shared float64 TypeScript factorizations (`cholesky.ts`, `eigh.ts`), as in `reference`.
 *
 * Output tiling: headless-gl silently returns zeros for outputs beyond its texture limit (measured:
 * 12288×12288 on a 16384 MAX_TEXTURE_SIZE), so 2-D outputs are computed in tiles of at most
 * `maxTileSize`² cells and 1-D outputs in chunks of at most `maxTileSize`² entries.
 */
import type { GPU, IKernelRunShortcut } from 'gpu.js';
import type { Backend, CholeskyFactor, SymmetricEigen, Vec } from './backend.js';
import { mirrorUpperToLower } from './layout.js';
import {
  axpbyChunk, columnSquaresChunk, diagSolveChunk, KernelCache, matVecChunk, productTile, scaleChunk,
  type ProductConstants,
} from './gpujs-kernels.js';
import { chooseGpuJsMode, type GpuJsMode } from './gpujs-mode.js';
import { ReferenceBackend, scaled } from './reference.js';

export interface GpuJsOptions {
  /** GPU.js mode, or 'auto' for the fastest one that passes verification. Default 'auto'. */
  mode?: GpuJsMode | 'auto';
  /**
   * Largest edge of a 2-D output tile (1-D outputs: chunks of `maxTileSize²`). Default 4096, i.e.
   * 16.7 M cells, well inside headless-gl's measured correct range (≤ 10⁸ cells, 8192×8192). Tests use a
   * small value to exercise the tiling on small matrices.
   */
  maxTileSize?: number;
}

export const DEFAULT_MAX_TILE_SIZE = 4096;

export class GpuJsBackend implements Backend {
  readonly name = 'gpujs' as const;
  readonly dtype = 'float32' as const;
  readonly detail: string;
  readonly mode: GpuJsMode;
  private readonly kernels: KernelCache;
  private readonly float64 = new ReferenceBackend();
  private readonly maxTile: number;

  constructor(private readonly gpu: GPU, mode: GpuJsMode, maxTileSize: number, skipped: Partial<Record<GpuJsMode, string>> = {}) {
    this.mode = mode;
    this.kernels = new KernelCache(gpu);
    this.maxTile = maxTileSize;
    const notes = Object.entries(skipped).map(([m, why]) => `${m}: ${why}`);
    this.detail = `gpujs ${mode}${notes.length > 0 ? ` (skipped ${notes.join('; ')})` : ''}`;
  }

  /** Number of compiled kernels held (one per kernel, shape and constants). */
  get compiledKernels(): number {
    return this.kernels.size;
  }

  zeros(n: number): Float32Array {
    return new Float32Array(n);
  }

  dot(x: Vec, y: Vec): number {
    return this.float64.dot(x, y);
  }

  nrm2(x: Vec): number {
    return this.float64.nrm2(x);
  }

  axpby(alpha: number, x: Vec, beta: number, y: Vec): void {
    const xs = f32(x);
    if (beta === 0) {
      this.forEachChunk(y.length, (offset, length) => {
        const out = this.kernels.get(scaleChunk, [length], {})(xs, alpha, offset) as Float32Array;
        y.set(out, offset);
      });
      return;
    }
    const ys = f32(y);
    this.forEachChunk(y.length, (offset, length) => {
      const out = this.kernels.get(axpbyChunk, [length], {})(xs, ys, alpha, beta, offset) as Float32Array;
      y.set(out, offset);
    });
  }

  syrkDiag(d: Vec, U: Vec, k: number, n: number, alpha: number, beta: number): void {
    if (k === 0) {
      for (let i = 0; i < n; i++) d[i] = scaled(beta, d[i]);
      return;
    }
    const u = f32(U);
    this.forEachChunk(n, (offset, length) => {
      const kernel = this.kernels.get(columnSquaresChunk, [length], { rows: k, cols: n }, k);
      const squares = kernel(u, offset) as Float32Array;
      for (let t = 0; t < length; t++) d[offset + t] = scaled(beta, d[offset + t]) + alpha * squares[t];
    });
  }

  diagSolve(d: Vec, s: number, lambda: number, v: Vec, out: Vec): void {
    const ds = f32(d);
    const vs = f32(v);
    this.forEachChunk(out.length, (offset, length) => {
      out.set(this.kernels.get(diagSolveChunk, [length], {})(ds, vs, s, lambda, offset) as Float32Array, offset);
    });
  }

  gemv(trans: boolean, m: number, n: number, alpha: number, A: Vec, x: Vec, beta: number, y: Vec): void {
    const [inner, outer] = trans ? [m, n] : [n, m];
    if (inner === 0) {
      for (let i = 0; i < outer; i++) y[i] = scaled(beta, y[i]);
      return;
    }
    // op(A)_ij = A[i·n + j] (strides n, 1) or, transposed, A[j·n + i] (strides 1, n).
    const constants = trans ? { inner, aRow: 1, aCol: n } : { inner, aRow: n, aCol: 1 };
    const a = f32(A);
    const xs = f32(x);
    this.forEachChunk(outer, (offset, length) => {
      const product = this.kernels.get(matVecChunk, [length], constants, inner)(a, xs, offset) as Float32Array;
      for (let t = 0; t < length; t++) y[offset + t] = alpha * product[t] + scaled(beta, y[offset + t]);
    });
  }

  syrk(C: Vec, n: number, U: Vec, k: number, alpha: number, beta: number): void {
    // UᵀU = op(A)·op(B) with op(A) = Uᵀ (strides 1, n) and op(B) = U (strides n, 1); only tiles on or
    // above the diagonal are computed, then the upper triangle is mirrored (exact symmetry).
    const u = f32(U);
    const constants: ProductConstants = { inner: k, aRow: 1, aCol: n, bRow: n, bCol: 1 };
    this.productTiles(n, n, constants, u, u, alpha, beta, C, n, true);
    mirrorUpperToLower(C, n);
  }

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, A: Vec, B: Vec, beta: number, C: Vec,
  ): void {
    // op(A)_ip = A[i·k + p] or, stored k×m, A[p·m + i]; op(B)_pj = B[p·n + j] or, stored n×k, B[j·k + p].
    const constants: ProductConstants = {
      inner: k,
      ...(transA ? { aRow: 1, aCol: m } : { aRow: k, aCol: 1 }),
      ...(transB ? { bRow: 1, bCol: k } : { bRow: n, bCol: 1 }),
    };
    this.productTiles(m, n, constants, f32(A), f32(B), alpha, beta, C, n, false);
  }

  cholesky(A: Vec, n: number, lambda: number): CholeskyFactor {
    return this.float64.cholesky(A, n, lambda);
  }

  eigh(A: Vec, n: number): SymmetricEigen {
    return this.float64.eigh(A, n);
  }

  dispose(): void {
    this.kernels.clear();
    this.gpu.destroy().catch(() => {});
  }

  /**
   * C ← α·op(A)op(B) + βC for an m×n C (row stride ldc), tile by tile; with `upperOnly`, tiles strictly
   * below the diagonal are skipped and, within diagonal tiles, only entries with j ≥ i are written.
   */
  private productTiles(
    m: number, n: number, constants: ProductConstants, a: Float32Array, b: Float32Array,
    alpha: number, beta: number, C: Vec, ldc: number, upperOnly: boolean,
  ): void {
    if (m === 0 || n === 0) return;
    const T = this.maxTile;
    for (let row0 = 0; row0 < m; row0 += T) {
      const height = Math.min(T, m - row0);
      for (let col0 = upperOnly ? row0 : 0; col0 < n; col0 += T) {
        const width = Math.min(T, n - col0);
        const tile = constants.inner === 0 ? undefined : rowsOf(this.productKernel(width, height, constants)(a, b, row0, col0));
        for (let y = 0; y < height; y++) {
          const i = row0 + y;
          const tileRow = tile?.[y];
          for (let x = upperOnly ? Math.max(0, i - col0) : 0; x < width; x++) {
            const index = i * ldc + col0 + x;
            C[index] = alpha * (tileRow ? tileRow[x] : 0) + scaled(beta, C[index]);
          }
        }
      }
    }
  }

  private productKernel(width: number, height: number, constants: ProductConstants): IKernelRunShortcut {
    return this.kernels.get(productTile, [width, height], constants, constants.inner);
  }

  /** Calls `body(offset, length)` for consecutive chunks of at most maxTileSize² entries covering [0, n). */
  private forEachChunk(n: number, body: (offset: number, length: number) => void): void {
    const chunk = this.maxTile * this.maxTile;
    for (let offset = 0; offset < n; offset += chunk) body(offset, Math.min(chunk, n - offset));
  }
}

/** The rows of a 2-D kernel output (GPU.js returns an array of Float32Array rows; a bare row when height is 1). */
function rowsOf(output: unknown): readonly Float32Array[] {
  return output instanceof Float32Array ? [output] : (output as Float32Array[]);
}

/** GPU.js takes float32 inputs; a Float64Array is converted (one copy), a Float32Array passed as is. */
function f32(v: Vec): Float32Array {
  return v instanceof Float32Array ? v : Float32Array.from(v);
}

/** Chooses the mode (see `gpujs-mode.ts`) and returns the backend; throws when no mode works. */
export function createGpuJsBackend(options: GpuJsOptions = {}): GpuJsBackend {
  const { mode, gpu, skipped } = chooseGpuJsMode(options.mode ?? 'auto');
  return new GpuJsBackend(gpu, mode, options.maxTileSize ?? DEFAULT_MAX_TILE_SIZE, skipped);
}
