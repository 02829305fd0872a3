/**
 * Choosing the GPU.js mode: the fastest one that really works on this host, proven by running the real
 * matrix-product kernel on a tiny known input. GPU.js's own "auto" mode is not enough: headless-gl can
 * report support yet hand back zeros, and webgpu's kernels return Promises, which the synchronous
 * `Backend` contract cannot await.
 *
 * Candidates, fastest first: headlessgl (needs the optional `gl` package built and an X display),
 * webgpu (needs `navigator.gpu`, e.g. from the `webgpu` package; rejected here because it is async),
 * webasm, cpu.
 */
import { GPU } from 'gpu.js';
import { KernelCache, productTile } from './gpujs-kernels.js';

export type GpuJsMode = 'headlessgl' | 'webgpu' | 'webasm' | 'cpu';

/** Modes in the order 'auto' tries them. */
export const GPUJS_MODE_PRIORITY: readonly GpuJsMode[] = ['headlessgl', 'webgpu', 'webasm', 'cpu'];

export interface GpuJsModeChoice {
  mode: GpuJsMode;
  gpu: GPU;
  /** Why each faster mode was not used. */
  skipped: Partial<Record<GpuJsMode, string>>;
}

/** Why `mode` cannot even be tried here, or undefined when GPU.js claims support for it. */
function unsupportedReason(mode: GpuJsMode): string | undefined {
  switch (mode) {
    case 'headlessgl':
      return GPU.isHeadlessGLSupported ? undefined : 'headless-gl is not available (optional `gl` package not built, or no X display)';
    case 'webgpu':
      return GPU.isWebGPUSupported ? undefined : 'no navigator.gpu (WebGPU is not set up in this Node process)';
    case 'webasm':
      return GPU.isWebAssemblySupported ? undefined : 'WebAssembly is not supported';
    case 'cpu':
      return undefined;
  }
}

/**
 * Runs the product kernel on U = [[1,2,3],[4,5,6]] (UᵀU's second row, [22, 29, 36], is expected) and
 * returns why the mode is unusable, or undefined when it computed the right numbers synchronously.
 */
function verify(gpu: GPU): string | undefined {
  const cache = new KernelCache(gpu);
  try {
    const kernel = cache.get(productTile, [3, 1], { inner: 2, aRow: 1, aCol: 3, bRow: 3, bCol: 1 }, 2);
    const u = new Float32Array([1, 2, 3, 4, 5, 6]);
    const out: unknown = kernel(u.subarray(1), u); // the view starts at row 1 of Uᵀ
    if (out instanceof Promise || (typeof out === 'object' && out !== null && 'then' in out)) {
      (out as Promise<unknown>).catch(() => {});
      return 'its kernels return Promises; the Backend contract is synchronous';
    }
    const row = (Array.isArray(out) ? out[0] : out) as ArrayLike<number> | undefined;
    const expected = [22, 29, 36];
    if (!row || expected.some((e, j) => Math.abs((row[j] ?? NaN) - e) > 1e-5 * e)) {
      return `verification kernel returned ${row ? Array.from(row).join(',') : String(out)}, expected ${expected.join(',')}`;
    }
    return undefined;
  } catch (e) {
    return `verification kernel threw: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    cache.clear();
  }
}

/**
 * The GPU.js instance for `requested` ('auto': the first of `GPUJS_MODE_PRIORITY` that verifies).
 * Throws an Error listing every reason when no candidate works.
 */
export function chooseGpuJsMode(requested: GpuJsMode | 'auto' = 'auto'): GpuJsModeChoice {
  const candidates = requested === 'auto' ? GPUJS_MODE_PRIORITY : [requested];
  const skipped: Partial<Record<GpuJsMode, string>> = {};
  for (const mode of candidates) {
    const unsupported = unsupportedReason(mode);
    if (unsupported !== undefined) {
      skipped[mode] = unsupported;
      continue;
    }
    let gpu: GPU;
    try {
      gpu = new GPU({ mode });
    } catch (e) {
      skipped[mode] = `GPU.js refused the mode: ${e instanceof Error ? e.message : String(e)}`;
      continue;
    }
    const failure = verify(gpu);
    if (failure === undefined) return { mode, gpu, skipped };
    skipped[mode] = failure;
    gpu.destroy().catch(() => {});
  }
  throw new Error(`no GPU.js mode works here: ${JSON.stringify(skipped)}`);
}
