/**
 * Composition of update rules (optax/_src/combine.py): a chain is itself a transform.
 */
import {
  EMPTY_STATE, type Diagnostics, type EmptyState, type GradientTransformation, type OptState, type StepContext, type TransformResult,
} from './types.js';

/** Leaves the update as it is (optax's `identity`); useful as the "no momentum" slot of a chain. */
export function identity(): GradientTransformation<EmptyState> {
  return {
    init: () => EMPTY_STATE,
    update: (updates, state) => ({ updates: updates.slice(), state, diagnostics: {} }),
  };
}

/** The state of a chain: the inner states, in order. */
export type ChainState = readonly OptState[];

/**
 * Applies the transforms one after the other, each to the previous one's output. Diagnostics are merged in
 * order, so a later transform's field overrides an earlier one's.
 */
export function chain(...transforms: readonly GradientTransformation[]): GradientTransformation<ChainState> {
  return {
    init: (dim) => transforms.map((t) => t.init(dim)),
    update(updates: Float64Array, state: ChainState, ctx: StepContext): TransformResult<ChainState> {
      if (state.length !== transforms.length) {
        throw new TypeError(`chain state has ${state.length} entries for ${transforms.length} transforms`);
      }
      let current = updates;
      let diagnostics: Diagnostics = {};
      const states: OptState[] = [];
      transforms.forEach((t, i) => {
        const result = t.update(current, state[i]!, ctx);
        current = result.updates;
        states.push(result.state);
        diagnostics = { ...diagnostics, ...result.diagnostics };
      });
      // An empty chain must still return a fresh array (purity: callers may write into the result).
      return { updates: current === updates ? updates.slice() : current, state: states, diagnostics };
    },
  };
}
