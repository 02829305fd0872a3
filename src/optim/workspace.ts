/**
 * `StepWorkspace`: the arrays a caller lends to the transforms of one step (`StepContext.workspace`) and
 * takes back before the next, so that a chain allocates nothing per step once warm.
 */
import type { Workspace } from './types.js';

export class StepWorkspace implements Workspace {
  private readonly arrays: Float64Array[] = [];
  private used = 0;
  /** Σ x_i² of arrays handed out this step, as their writers recorded them (`noteSquares`). */
  private readonly squares = new Map<Float64Array, number>();

  /** The next unused array of `length` entries (kept for later steps), with whatever an earlier step left in it. */
  vector(length: number): Float64Array {
    let array = this.arrays[this.used];
    if (array === undefined || array.length !== length) {
      array = new Float64Array(length);
      this.arrays[this.used] = array;
    }
    this.used++;
    this.squares.delete(array); // to be written anew
    return array;
  }

  noteSquares(array: Float64Array, squares: number): void {
    const k = this.arrays.indexOf(array);
    if (k >= 0 && k < this.used) this.squares.set(array, squares); // one of this step's arrays
  }

  squaresOf(array: Float64Array): number | undefined {
    return this.squares.get(array);
  }

  /** Takes every array back: arrays handed out before must no longer be read (call between steps). */
  reset(): void {
    this.used = 0;
    this.squares.clear();
  }
}
