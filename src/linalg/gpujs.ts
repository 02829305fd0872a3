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
 * Splitting, so that every kernel call is small enough to be right:
 * - Outputs: headless-gl silently returns zeros for outputs beyond its texture limit (measured: 12288×12288
 *   on a 16384 MAX_TEXTURE_SIZE), and GPU.js derives thread indices from the flat output index in float32,
 *   so 2-D outputs are computed in tiles of at most `maxTileSize`² ≤ 2²⁴ cells and 1-D outputs in chunks of
 *   at most min(`maxTileSize`², `maxInputElements`) entries.
 * - Inputs: GPU.js computes array indices in float32 on webasm and the GL modes, exact only below 2²⁴
 *   (measured on webasm: index 2²⁴ + 1 reads element 2²⁴), so a kernel never sees the caller's whole array
 *   but a view (`subarray`, no copy) of at most `maxInputElements` elements starting at the first element
 *   it reads. A product's output block therefore also bounds the operand block it reads, and the inner
 *   dimension is split where a block would still be too long; the partial products are accumulated into
 *   the output (β applied with the first, then +α·partial). An operand row longer than the limit is split
 *   along the inner dimension like any other, so no shape is refused. This also bounds every kernel loop
 *   by the limit: a float32 loop counter stops at 2²⁴ (measured: a webasm loop of 2²⁴ + 7 never ends).
 */
import type { GPU, IKernelRunShortcut } from 'gpu.js';
import { FisherdError } from '../errors.js';
import type { Backend, CentredSquares, CholeskyFactor, ColumnSums, EighOptions, SymmetricEigen, Vec } from './backend.js';
import { centredColumnSums, syrkDiagCentredByChunks } from './centred-rows.js';
import { mirrorUpperToLower } from './layout.js';
import {
  axpbyChunk, columnSquaresChunk, diagSolveChunk, KernelCache, matVecChunk, productTile, scaleChunk,
  type ProductConstants,
} from './gpujs-kernels.js';
import { chooseGpuJsMode, type GpuJsMode } from './gpujs-mode.js';
import { ReferenceBackend, scaled } from './reference.js';
import { StagingArea } from './staging.js';

export interface GpuJsOptions {
  /** GPU.js mode, or 'auto' for the fastest one that passes verification. Default 'auto'. */
  mode?: GpuJsMode | 'auto';
  /**
   * Largest edge of a 2-D output tile (1-D outputs: chunks of `maxTileSize²`, at most `maxInputElements`).
   * Default and maximum 4096: a tile's 16.7 M = 2²⁴ cells are the most whose flat index float32 holds
   * exactly, and well inside headless-gl's measured correct range (≤ 8192×8192). Tests use a small value
   * to exercise the tiling on small matrices.
   */
  maxTileSize?: number;
  /**
   * Most elements of any one kernel input (a view of the caller's array). Default and maximum
   * 2²⁴ = 16 777 216, the float32 limit on exact array indices. Tests use a small value to exercise the
   * input splitting on small matrices.
   */
  maxInputElements?: number;
}

export const DEFAULT_MAX_TILE_SIZE = 4096;
export const DEFAULT_MAX_INPUT_ELEMENTS = 2 ** 24;

/** The size limits of `GpuJsOptions`, resolved and checked by `createGpuJsBackend`. */
export interface GpuJsLimits {
  maxTileSize: number;
  maxInputElements: number;
}

/**
 * How op(M), one operand of a product, is stored. Its entry (o, p), o an outer index (a row of op(A), a
 * column of op(B), an output of a matrix-vector product) and p an inner (summed) index, is at `o·ld + p`
 * when the rows of the stored array are outer indices (A; B transposed, stored n×k) and at `p·ld + o` when
 * they are inner indices (`innerMajor`: A transposed, stored k×m; B, stored k×n; Uᵀ in syrk and syrkDiag).
 */
interface Operand {
  readonly data: Float32Array;
  readonly ld: number;
  readonly innerMajor: boolean;
}

export class GpuJsBackend implements Backend {
  readonly name = 'gpujs' as const;
  readonly dtype = 'float32' as const;
  readonly detail: string;
  readonly mode: GpuJsMode;
  private readonly staging = new StagingArea();
  private readonly kernels: KernelCache;
  private readonly float64 = new ReferenceBackend();
  private readonly maxTile: number;
  private readonly maxInput: number;
  /** Entries of a 1-D output chunk, which is also the length of the elementwise kernels' input views. */
  private readonly maxChunk: number;

  constructor(private readonly gpu: GPU, mode: GpuJsMode, limits: GpuJsLimits, skipped: Partial<Record<GpuJsMode, string>> = {}) {
    this.mode = mode;
    this.kernels = new KernelCache(gpu);
    this.maxTile = limits.maxTileSize;
    this.maxInput = limits.maxInputElements;
    this.maxChunk = Math.min(this.maxTile * this.maxTile, this.maxInput);
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
        const out = this.kernels.get(scaleChunk, [length], {})(xs.subarray(offset, offset + length), alpha) as Float32Array;
        y.set(out, offset);
      });
      return;
    }
    const ys = f32(y);
    this.forEachChunk(y.length, (offset, length) => {
      const [xc, yc] = [xs.subarray(offset, offset + length), ys.subarray(offset, offset + length)];
      y.set(this.kernels.get(axpbyChunk, [length], {})(xc, yc, alpha, beta) as Float32Array, offset);
    });
  }

  syrkDiag(d: Vec, U: Vec, k: number, n: number, alpha: number, beta: number, columnSums?: ColumnSums, centred?: CentredSquares): void {
    if (centred !== undefined) {
      this.syrkDiagCentred(centred.out, U, k, n, centred.centre, centred.alpha, centred.beta);
      if (centred.sums !== undefined) centredColumnSums(centred.sums, U, k, n, centred.centre, centred.alpha, centred.beta);
    }
    // The column sums as Uᵀ·1 by the gemv kernels: a second pass over U, but on a GPU the rows are read
    // from device memory and the saving of one fused pass matters less than on the CPU.
    if (columnSums !== undefined) this.gemv(true, k, n, columnSums.alpha, U, new Float32Array(k).fill(1), columnSums.beta, columnSums.out);
    if (k === 0) {
      for (let i = 0; i < n; i++) d[i] = scaled(beta, d[i]);
      return;
    }
    // d_i = Σ_r U_ri²: columns of U are the outputs, rows the summed index.
    const u: Operand = { data: f32(U), ld: n, innerMajor: true };
    const chunk = outerBlockSize(u, this.maxChunk, this.maxInput);
    const depth = Math.min(k, innerCapacity(u, chunk, this.maxInput));
    for (let i0 = 0; i0 < n; i0 += chunk) {
      const length = Math.min(chunk, n - i0);
      forEachInnerBlock(k, depth, beta, (r0, rows, keep) => {
        const kernel = this.kernels.get(columnSquaresChunk, [length], { rows, cols: n }, rows);
        accumulate(d, i0, kernel(blockOf(u, i0, length, r0, rows)) as Float32Array, alpha, keep);
      });
    }
  }

  stagingBuffer(bytes: number): Uint8Array {
    return this.staging.view(bytes);
  }

  syrkDiagCentred(d: Vec, U: Vec, k: number, n: number, centre: Vec, alpha: number, beta: number): void {
    // Centred in JS, chunk by chunk, then summed by the column-squares kernels (syrkDiag).
    syrkDiagCentredByChunks(this, d, f32(U), k, n, centre, alpha, beta);
  }

  diagSolve(d: Vec, s: number, lambda: number, v: Vec, out: Vec): void {
    const ds = f32(d);
    const vs = f32(v);
    this.forEachChunk(out.length, (offset, length) => {
      const [dc, vc] = [ds.subarray(offset, offset + length), vs.subarray(offset, offset + length)];
      out.set(this.kernels.get(diagSolveChunk, [length], {})(dc, vc, s, lambda) as Float32Array, offset);
    });
  }

  gemv(trans: boolean, m: number, n: number, alpha: number, A: Vec, x: Vec, beta: number, y: Vec): void {
    const [inner, outer] = trans ? [m, n] : [n, m];
    if (inner === 0) {
      for (let i = 0; i < outer; i++) y[i] = scaled(beta, y[i]);
      return;
    }
    // op(A) = A: rows of A are outputs; op(A) = Aᵀ: rows of A are summed against x.
    const a: Operand = { data: f32(A), ld: n, innerMajor: trans };
    const [aRow, aCol] = strides(a);
    const xs = f32(x);
    const chunk = outerBlockSize(a, this.maxChunk, this.maxInput);
    const depth = Math.min(inner, innerCapacity(a, chunk, this.maxInput));
    for (let i0 = 0; i0 < outer; i0 += chunk) {
      const length = Math.min(chunk, outer - i0);
      forEachInnerBlock(inner, depth, beta, (p0, terms, keep) => {
        const kernel = this.kernels.get(matVecChunk, [length], { inner: terms, aRow, aCol }, terms);
        const product = kernel(blockOf(a, i0, length, p0, terms), xs.subarray(p0, p0 + terms)) as Float32Array;
        accumulate(y, i0, product, alpha, keep);
      });
    }
  }

  syrk(C: Vec, n: number, U: Vec, k: number, alpha: number, beta: number): void {
    // UᵀU = op(A)·op(B) with op(A) = Uᵀ and op(B) = U, both stored as U (rows are the summed index); only
    // tiles on or above the diagonal are computed, then the upper triangle is mirrored (exact symmetry).
    const u: Operand = { data: f32(U), ld: n, innerMajor: true };
    this.productTiles(n, n, k, u, u, alpha, beta, C, true);
    mirrorUpperToLower(C, n);
  }

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, A: Vec, B: Vec, beta: number, C: Vec,
  ): void {
    // op(A)_ip = A[i·k + p] or, stored k×m, A[p·m + i]; op(B)_pj = B[p·n + j] or, stored n×k, B[j·k + p].
    const a: Operand = { data: f32(A), ld: transA ? m : k, innerMajor: transA };
    const b: Operand = { data: f32(B), ld: transB ? k : n, innerMajor: !transB };
    this.productTiles(m, n, k, a, b, alpha, beta, C, false);
  }

  cholesky(A: Vec, n: number, lambda: number): CholeskyFactor {
    return this.float64.cholesky(A, n, lambda);
  }

  eigh(A: Vec, n: number, options?: EighOptions): SymmetricEigen {
    return this.float64.eigh(A, n, options);
  }

  dispose(): void {
    this.kernels.clear();
    this.gpu.destroy().catch(() => {});
  }

  /**
   * C ← α·op(A)op(B) + βC for an m×n row-major C, op(A) m×k and op(B) k×n, output block by output block,
   * each over blocks of the inner dimension; with `upperOnly` (C square), blocks strictly below the
   * diagonal are skipped and, within diagonal blocks, only entries with j ≥ i are written.
   */
  private productTiles(
    m: number, n: number, k: number, a: Operand, b: Operand,
    alpha: number, beta: number, C: Vec, upperOnly: boolean,
  ): void {
    if (m === 0 || n === 0) return;
    const height = outerBlockSize(a, this.maxTile, this.maxInput);
    const width = outerBlockSize(b, this.maxTile, this.maxInput);
    const depth = Math.min(k, innerCapacity(a, height, this.maxInput), innerCapacity(b, width, this.maxInput));
    const [aRow, aCol] = strides(a);
    const [bCol, bRow] = strides(b);
    for (let row0 = 0; row0 < m; row0 += height) {
      const rows = Math.min(height, m - row0);
      for (let col0 = upperOnly ? row0 - (row0 % width) : 0; col0 < n; col0 += width) {
        const cols = Math.min(width, n - col0);
        const blend = (tile: readonly Float32Array[] | undefined, keep: number): void => {
          for (let y = 0; y < rows; y++) {
            const i = row0 + y;
            const tileRow = tile?.[y];
            for (let x = upperOnly ? Math.max(0, i - col0) : 0; x < cols; x++) {
              const index = i * n + col0 + x;
              C[index] = alpha * (tileRow ? tileRow[x] : 0) + scaled(keep, C[index]);
            }
          }
        };
        if (k === 0) {
          blend(undefined, beta);
          continue;
        }
        forEachInnerBlock(k, depth, beta, (p0, terms, keep) => {
          const kernel = this.productKernel(cols, rows, { inner: terms, aRow, aCol, bRow, bCol });
          blend(rowsOf(kernel(blockOf(a, row0, rows, p0, terms), blockOf(b, col0, cols, p0, terms))), keep);
        });
      }
    }
  }

  private productKernel(width: number, height: number, constants: ProductConstants): IKernelRunShortcut {
    return this.kernels.get(productTile, [width, height], constants, constants.inner);
  }

  /** Calls `body(offset, length)` for consecutive chunks of at most `maxChunk` entries covering [0, n). */
  private forEachChunk(n: number, body: (offset: number, length: number) => void): void {
    for (let offset = 0; offset < n; offset += this.maxChunk) body(offset, Math.min(this.maxChunk, n - offset));
  }
}

/** An operand's strides [outer, inner]; a block view keeps them (it only moves the origin). */
function strides(op: Operand): [outer: number, inner: number] {
  return op.innerMajor ? [1, op.ld] : [op.ld, 1];
}

/**
 * The block of outer indices [o0, o0 + outer) × inner indices [p0, p0 + depth) as a view (no copy) from
 * its first element to its last, (outer−1)·s_o + (depth−1)·s_p + 1 long: inside it, entry (o, p) of the
 * block is at o·s_o + p·s_p, so indices stay below the view's length.
 */
function blockOf(op: Operand, o0: number, outer: number, p0: number, depth: number): Float32Array {
  const [so, sp] = strides(op);
  const first = o0 * so + p0 * sp;
  return op.data.subarray(first, first + (outer - 1) * so + (depth - 1) * sp + 1);
}

/**
 * The outer block size (at most `cap`) for an operand's views of at most `limit` elements: for outer-major
 * storage as many whole rows as fit (at least one, split along the inner dimension if it alone is longer);
 * for inner-major storage a block one inner index deep must fit, so at most `limit`.
 */
function outerBlockSize(op: Operand, cap: number, limit: number): number {
  return Math.min(cap, op.innerMajor ? limit : Math.max(1, Math.floor(limit / op.ld)));
}

/** The most inner indices a block `outer` wide can span in a view of at most `limit` elements (≥ 1). */
function innerCapacity(op: Operand, outer: number, limit: number): number {
  const [so, sp] = strides(op);
  return Math.floor((limit - 1 - (outer - 1) * so) / sp) + 1;
}

/**
 * Calls `body(p0, terms, keep)` for consecutive blocks of at most `depth` of the `inner` summed indices,
 * with the factor `keep` on the output's previous value: β for the first block, then 1 (accumulate).
 */
function forEachInnerBlock(
  inner: number, depth: number, beta: number, body: (p0: number, terms: number, keep: number) => void,
): void {
  for (let p0 = 0; p0 < inner; p0 += depth) body(p0, Math.min(depth, inner - p0), p0 === 0 ? beta : 1);
}

/** out[offset + t] ← α·partial[t] + keep·out[offset + t] (keep = 0 overwrites, NaN included). */
function accumulate(out: Vec, offset: number, partial: Float32Array, alpha: number, keep: number): void {
  for (let t = 0; t < partial.length; t++) out[offset + t] = alpha * partial[t] + scaled(keep, out[offset + t]);
}

/** The rows of a 2-D kernel output (GPU.js returns an array of Float32Array rows; a bare row when height is 1). */
function rowsOf(output: unknown): readonly Float32Array[] {
  return output instanceof Float32Array ? [output] : (output as Float32Array[]);
}

/** GPU.js takes float32 inputs; a Float64Array is converted (one copy), a Float32Array passed as is. */
function f32(v: Vec): Float32Array {
  return v instanceof Float32Array ? v : Float32Array.from(v);
}

/** The limits of `options`, defaults filled in; throws INVALID_CONFIG for one out of its range. */
function resolveGpuJsLimits(options: GpuJsOptions = {}): GpuJsLimits {
  const limits = {
    maxTileSize: options.maxTileSize ?? DEFAULT_MAX_TILE_SIZE,
    maxInputElements: options.maxInputElements ?? DEFAULT_MAX_INPUT_ELEMENTS,
  };
  const ranges: Record<keyof GpuJsLimits, number> = {
    maxTileSize: DEFAULT_MAX_TILE_SIZE,
    maxInputElements: DEFAULT_MAX_INPUT_ELEMENTS,
  };
  for (const field of ['maxTileSize', 'maxInputElements'] as const) {
    const value = limits[field];
    if (!Number.isInteger(value) || value < 1 || value > ranges[field]) {
      throw new FisherdError('INVALID_CONFIG', `gpujs ${field} must be an integer in [1, ${ranges[field]}], got ${value}`, { field });
    }
  }
  return limits;
}

/** Chooses the mode (see `gpujs-mode.ts`) and returns the backend; throws when no mode works. */
export function createGpuJsBackend(options: GpuJsOptions = {}): GpuJsBackend {
  const limits = resolveGpuJsLimits(options);
  const { mode, gpu, skipped } = chooseGpuJsMode(options.mode ?? 'auto');
  return new GpuJsBackend(gpu, mode, limits, skipped);
}
