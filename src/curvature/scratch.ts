/**
 * Reusable work arrays, so that the hot path allocates only when a problem grows: a buffer is replaced by a
 * larger one the first time a bigger size is asked for and reused from then on.
 */
import type { Backend, Vec } from '../linalg/backend.js';

/** A growable array in the backend's storage type (`Float64Array` or `Float32Array`). */
export class StorageScratch {
  private buffer: Vec;

  constructor(private readonly backend: Backend) {
    this.buffer = backend.zeros(0);
  }

  /** A view of the first n elements (contents unspecified). */
  view(n: number): Vec {
    if (this.buffer.length < n) this.buffer = this.backend.zeros(n);
    return this.buffer.subarray(0, n);
  }
}

/** A growable `Float64Array` for float64 work (Gram matrices, solves). */
export class Float64Scratch {
  private buffer = new Float64Array(0);

  /** A view of the first n elements (contents unspecified). */
  view(n: number): Float64Array {
    if (this.buffer.length < n) this.buffer = new Float64Array(n);
    return this.buffer.subarray(0, n);
  }
}

