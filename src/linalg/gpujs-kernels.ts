/**
 * The GPU.js kernels of the `gpujs` backend and their per-shape cache.
 *
 * Each kernel is a plain function that GPU.js parses and compiles for its mode (GLSL for headlessgl, WGSL
 * for webgpu, WebAssembly for webasm, JS for cpu). Inputs are flat Float32Arrays indexed with strides
 * given as compile-time constants, so one matrix-product kernel serves gemm's four transpose cases and
 * syrk.
 *
 * Every input is a view (`subarray`) that begins at the first element the call reads, and every index is
 * local to it: GPU.js computes indices in float32 on webasm and the GL modes, exact only below 2²⁴, so the
 * backend (`gpujs.ts`) keeps each view at most `maxInputElements` ≤ 2²⁴ long and no index can round. Loop
 * counts (`inner`, `rows`) are at most the view's length, so no float32 loop counter passes 2²⁴ either.
 * A view's length is fixed by the kernel's output shape and constants, so each compiled kernel always sees
 * the same input sizes (webasm rejects a size change without `dynamicArguments`).
 *
 * Compilation is lazy (on the first call) and costs ~70 ms per shape on webasm and up to ~700 ms on
 * headlessgl, so kernels are cached by name, output shape and constants.
 */
import type { GPU, IKernelFunctionThis, IKernelRunShortcut, KernelFunction, ThreadKernelVariable } from 'gpu.js';

/**
 * Constants of the matrix-product kernel: `inner` terms, `op(A)_ip = a[i·aRow + p·aCol]` and
 * `op(B)_pj = b[p·bRow + j·bCol]`, i, j, p local to the block that the views a and b hold.
 */
export type ProductConstants = { inner: number; aRow: number; aCol: number; bRow: number; bCol: number };

/** One output block of `op(A)·op(B)` over one block of the inner dimension: cell (x, y) is entry (y, x). */
export function productTile(this: IKernelFunctionThis<ProductConstants>, a: Float32Array, b: Float32Array): number {
  const i = this.thread.y;
  const j = this.thread.x;
  let s = 0;
  for (let p = 0; p < this.constants.inner; p++) {
    s += a[i * this.constants.aRow + p * this.constants.aCol] * b[p * this.constants.bRow + j * this.constants.bCol];
  }
  return s;
}

/** Constants of the matrix-vector kernel: `inner` terms, `op(A)_ij = a[i·aRow + j·aCol]`. */
export type MatVecConstants = { inner: number; aRow: number; aCol: number };

/** A block of `op(A)·x`: cell i is `Σ_j op(A)_ij x_j`. */
export function matVecChunk(this: IKernelFunctionThis<MatVecConstants>, a: Float32Array, x: Float32Array): number {
  const i = this.thread.x;
  let s = 0;
  for (let j = 0; j < this.constants.inner; j++) s += a[i * this.constants.aRow + j * this.constants.aCol] * x[j];
  return s;
}

/** Constants of the column-squares kernel: `rows` rows of U, row stride `cols`. */
export type SquaresConstants = { rows: number; cols: number };

/** A block of the column sums of squares of U: cell i is `Σ_r U_{r,i}²`. */
export function columnSquaresChunk(this: IKernelFunctionThis<SquaresConstants>, u: Float32Array): number {
  const i = this.thread.x;
  let s = 0;
  for (let r = 0; r < this.constants.rows; r++) {
    const v = u[r * this.constants.cols + i];
    s += v * v;
  }
  return s;
}

/** A chunk of `v_i / (d_i·s + λ)`. */
export function diagSolveChunk(
  this: IKernelFunctionThis, d: Float32Array, v: Float32Array, scale: number, lambda: number,
): number {
  const i = this.thread.x;
  return v[i] / (d[i] * scale + lambda);
}

/** A chunk of `α x_i + β y_i`. */
export function axpbyChunk(this: IKernelFunctionThis, x: Float32Array, y: Float32Array, alpha: number, beta: number): number {
  const i = this.thread.x;
  return alpha * x[i] + beta * y[i];
}

/** A chunk of `α x_i` (axpby with β = 0, which must not read y: a NaN there must not propagate). */
export function scaleChunk(this: IKernelFunctionThis, x: Float32Array, alpha: number): number {
  return alpha * x[this.thread.x];
}

/** Compiled kernels by name, output shape and constants. */
export class KernelCache {
  private readonly kernels = new Map<string, IKernelRunShortcut>();

  constructor(private readonly gpu: GPU) {}

  get size(): number {
    return this.kernels.size;
  }

  /**
   * The kernel `fn` compiled for `output` ([width] or [width, height]) and `constants`; `loopBound` is the
   * longest loop it runs (GPU.js unrolls or caps loops at `loopMaxIterations`, default 1000).
   */
  get<C extends Record<string, number>>(
    fn: (this: IKernelFunctionThis<C>, ...args: never[]) => number,
    output: number[],
    constants: C,
    loopBound = 1,
  ): IKernelRunShortcut {
    const key = `${fn.name}|${output.join('x')}|${JSON.stringify(constants)}`;
    let kernel = this.kernels.get(key);
    if (!kernel) {
      kernel = this.gpu
        .createKernel(fn as unknown as KernelFunction<ThreadKernelVariable[], C>, {
          output,
          constants,
          tactic: 'precision',
        })
        .setLoopMaxIterations(Math.max(1, loopBound));
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  clear(): void {
    for (const kernel of this.kernels.values()) kernel.destroy();
    this.kernels.clear();
  }
}
