/**
 * A tiny known computation that a backend must get right before fisherd trusts it (TensorFlow.js's engine
 * likewise only registers a backend whose initialization succeeds). It exercises every kernel once on
 * shapes of a few elements, so a broken native binding or a GPU.js mode that silently returns zeros is
 * caught at selection time rather than in the middle of a training run.
 */
import type { Backend, Vec } from './backend.js';

/** Relative tolerance of the self-check: loose enough for float32 storage, tight enough to catch garbage. */
const SELF_CHECK_TOLERANCE = 1e-5;

/**
 * Runs the check; returns `undefined` when the backend passes, else a sentence saying what went wrong.
 * Exceptions thrown by the backend are caught and reported the same way.
 */
export function selfCheck(backend: Backend): string | undefined {
  try {
    return firstFailure(backend);
  } catch (e) {
    return `threw: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function firstFailure(backend: Backend): string | undefined {
  const fill = (values: number[]): Vec => {
    const v = backend.zeros(values.length);
    v.set(values);
    return v;
  };
  // U is 2×3: C = UᵀU = [[17,22,27],[22,29,36],[27,36,45]].
  const U = fill([1, 2, 3, 4, 5, 6]);
  const C = fill(new Array<number>(9).fill(1));
  backend.syrk(C, 3, U, 2, 1, 0);
  const syrk = compare('syrk', C, [17, 22, 27, 22, 29, 36, 27, 36, 45]);
  if (syrk) return syrk;

  const d = fill([1, 1, 1]);
  backend.syrkDiag(d, U, 2, 3, 2, 1); // 1 + 2·(1+16, 4+25, 9+36)
  const diag = compare('syrkDiag', d, [35, 59, 91]);
  if (diag) return diag;

  const y = fill([1, 1]);
  backend.gemv(false, 2, 3, 1, U, fill([1, 0, -1]), 2, y); // [1−3, 4−6] + 2
  const gemv = compare('gemv', y, [0, 0]);
  if (gemv) return gemv;

  const G = fill([0, 0, 0, 0]);
  backend.gemm(false, true, 2, 2, 3, 1, U, U, 0, G); // U Uᵀ
  const gemm = compare('gemm', G, [14, 32, 32, 77]);
  if (gemm) return gemm;

  const x = fill([1, 2]);
  const z = fill([3, 4]);
  backend.axpby(2, x, -1, z);
  const axpby = compare('axpby', z, [-1, 0]);
  if (axpby) return axpby;
  if (Math.abs(backend.dot(x, x) - 5) > SELF_CHECK_TOLERANCE * 5) return `dot gave ${backend.dot(x, x)}, expected 5`;

  const solved = backend.cholesky(fill([4, 2, 2, 3]), 2, 0).solve([2, 1]); // [[4,2],[2,3]]⁻¹ [2,1]
  const chol = compare('cholesky', solved, [0.5, 0]);
  if (chol) return chol;

  const eig = backend.eigh(fill([2, 1, 1, 2]), 2); // eigenvalues 3, 1
  return compare('eigh', eig.values, [3, 1]);
}

function compare(kernel: string, got: ArrayLike<number>, expected: readonly number[]): string | undefined {
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (!(Math.abs(got[i]! - e) <= SELF_CHECK_TOLERANCE * Math.max(1, Math.abs(e)))) {
      return `${kernel} gave ${Array.from(got).join(',')}, expected ${expected.join(',')}`;
    }
  }
  return undefined;
}
