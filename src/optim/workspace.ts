/**
 * `StepWorkspace`: the arrays a caller lends to the transforms of one step (`StepContext.workspace`) and
 * takes back before the next, so that a chain allocates nothing per step once warm.
 */
import type { Workspace } from './types.js';

export class StepWorkspace implements Workspace {
  private readonly arrays: Float64Array[] = [];
  private used = 0;

  /** The next unused array of `length` entries (kept for later steps), with whatever an earlier step left in it. */
  vector(length: number): Float64Array {
    let array = this.arrays[this.used];
    if (array === undefined || array.length !== length) {
      array = new Float64Array(length);
      this.arrays[this.used] = array;
    }
    this.used++;
    return array;
  }

  /** Takes every array back: arrays handed out before must no longer be read (call between steps). */
  reset(): void {
    this.used = 0;
  }
}
