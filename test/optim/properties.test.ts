/**
 * One list of every optimizer under test, and every property runs against all of them (optax's
 * _OPTIMIZERS_UNDER_TEST): purity, determinism, checkpoint round trip, no aliasing, state shape, descent.
 */
import { describe, expect, it } from 'vitest';
import type { CurvatureEstimator, Structure } from '../../src/curvature/index.js';
import { availableKernels, kernelsInUse, useKernels, type KernelsName } from '../../src/linalg/native-kernels.js';
import { StepWorkspace, makeOptimizer, scaleByLearningRate, type OptimizerSpec, type OptState } from '../../src/optim/index.js';
import { norm2, norm2FromSquares } from '../../src/optim/vec.js';
import { decodeSnapshotValue, encodeSnapshotValue, type SnapshotValue } from '../../src/session/snapshot-codec.js';
import { sameShape } from '../../src/session/state-shape.js';
import { REFERENCE, Rng, bitwiseEqual, context, feed, makeEstimator, randomBatch } from './helpers.js';

const DIM = 6;
const BATCH = 8;
/** Two parameter blocks, so that blockwise VA and the block solves are exercised. */
const STRUCTURE: Structure = {
  kind: 'blocks',
  blocks: [
    { name: 'weights', size: 4, structure: { kind: 'full' } },
    { name: 'bias', size: 2, structure: { kind: 'diagonal' } },
  ],
};

const OPTIMIZERS_UNDER_TEST: readonly { label: string; spec: OptimizerSpec }[] = [
  { label: 'sgd', spec: { name: 'sgd', stepSize: 0.1 } },
  { label: 'sgd + heavy ball', spec: { name: 'sgd', stepSize: 0.1, momentum: 0.9 } },
  { label: 'sgd + nesterov + weight decay', spec: { name: 'sgd', stepSize: 0.1, momentum: 0.5, nesterov: true, weightDecay: 1e-2 } },
  { label: 'ngd', spec: { name: 'ngd', stepSize: 0.5, damping: 1e-3 } },
  {
    label: 'ngd + scheduled step size and damping',
    spec: {
      name: 'ngd',
      stepSize: { kind: 'warmup', from: 0.05, steps: 2, then: { kind: 'cosine', init: 0.5, decaySteps: 10, alpha: 0.1 } },
      damping: { kind: 'exponential', init: 1e-1, decayRate: 0.5, transitionSteps: 1, endValue: 1e-4 },
    },
  },
  { label: 'efgd', spec: { name: 'efgd', stepSize: 0.1, damping: 1e-3 } },
  { label: 'efgd + momentum', spec: { name: 'efgd', stepSize: 0.1, damping: 1e-2, momentum: 0.9 } },
  { label: 'snr', spec: { name: 'snr', stepSize: 0.1 } },
  { label: 'snr (M-SVAG moments)', spec: { name: 'snr', stepSize: 0.1, snrVariance: 'moments', msvagDecay: 0.8 } },
  { label: 'va', spec: { name: 'va', stepSize: 0.1, damping: 1e-4 } },
  { label: 'va blockwise', spec: { name: 'va', stepSize: 0.1, damping: 1e-4, blockwise: true } },
  { label: 'adam', spec: { name: 'adam', stepSize: 1e-2 } },
  { label: 'adamw', spec: { name: 'adam', stepSize: 1e-2, weightDecay: 1e-2, adam: { b1: 0.8, b2: 0.99, eps: 1e-6 } } },
];

/** A deterministic stream of batches for one run. */
function* batches(seed: number): Generator<ReturnType<typeof randomBatch>> {
  const rng = new Rng(seed);
  for (;;) yield randomBatch(rng, DIM, BATCH, 2, 0.7);
}

interface Run {
  estimator: CurvatureEstimator;
  state: OptState;
  params: Float64Array;
  stream: Generator<ReturnType<typeof randomBatch>>;
  step: number;
}

function startRun(spec: OptimizerSpec, seed = 7): Run {
  return {
    estimator: makeEstimator(DIM, REFERENCE, { structure: STRUCTURE, decay: 0.5 }),
    state: makeOptimizer(spec).init(DIM),
    params: Float64Array.from({ length: DIM }, (_, i) => 0.1 * (i + 1)),
    stream: batches(seed),
    step: 0,
  };
}

/** One step: feed the next batch, update, apply Δθ to θ. */
function advance(spec: OptimizerSpec, run: Run): Float64Array {
  const { grads, sampled } = run.stream.next().value!;
  feed(run.estimator, grads, BATCH, sampled);
  run.step += 1;
  const optimizer = makeOptimizer(spec);
  const result = optimizer.update(run.estimator.meanGrad(), run.state as never, context(run.estimator, run.step, run.params));
  run.state = result.state;
  run.params = run.params.map((p, i) => p + result.updates[i]!);
  return result.updates;
}

function stateBytes(state: OptState): Buffer {
  return encodeSnapshotValue(state as SnapshotValue);
}

describe.each(OPTIMIZERS_UNDER_TEST)('$label', ({ spec }) => {
  const optimizer = makeOptimizer(spec);

  it('is pure: the update, the state, the params and the estimates are unchanged', () => {
    const run = startRun(spec);
    advance(spec, run);
    advance(spec, run);
    const { grads, sampled } = run.stream.next().value!;
    feed(run.estimator, grads, BATCH, sampled);
    const updates = run.estimator.meanGrad();
    const before = {
      updates: updates.slice(),
      state: stateBytes(run.state),
      params: run.params.slice(),
      curvature: encodeSnapshotValue(run.estimator.snapshot() as unknown as SnapshotValue),
    };
    const result = optimizer.update(updates, run.state as never, context(run.estimator, 3, run.params));
    expect(bitwiseEqual(updates, before.updates)).toBe(true);
    expect(stateBytes(run.state).equals(before.state)).toBe(true);
    expect(bitwiseEqual(run.params, before.params)).toBe(true);
    expect(encodeSnapshotValue(run.estimator.snapshot() as unknown as SnapshotValue).equals(before.curvature)).toBe(true);
    // The result shares no memory with the input or the new state: writing into it changes neither.
    const newState = stateBytes(result.state);
    result.updates.fill(Number.NaN);
    expect(bitwiseEqual(updates, before.updates)).toBe(true);
    expect(stateBytes(result.state).equals(newState)).toBe(true);
  });

  it('with a step workspace: the same updates and states, and a state that keeps none of its arrays', () => {
    const fresh = startRun(spec);
    const lent = startRun(spec);
    const workspace = new StepWorkspace();
    const handedOut = new Set<Float64Array>();
    const recording = { vector: (n: number) => { const v = workspace.vector(n); handedOut.add(v); return v; } };
    const arraysIn = (state: OptState): Float64Array[] => state instanceof Float64Array ? [state]
      : Array.isArray(state) ? state.flatMap(arraysIn)
        : state !== null && typeof state === 'object' ? Object.values(state).flatMap(arraysIn) : [];
    for (let t = 1; t <= 4; t++) {
      const expected = advance(spec, fresh);
      const { grads, sampled } = lent.stream.next().value!;
      feed(lent.estimator, grads, BATCH, sampled);
      lent.step += 1;
      workspace.reset();
      const input = lent.estimator.meanGrad();
      const before = input.slice();
      const result = optimizer.update(input, lent.state as never, { ...context(lent.estimator, lent.step, lent.params), workspace: recording });
      expect(bitwiseEqual(result.updates, expected)).toBe(true);
      expect(bitwiseEqual(input, before)).toBe(true);
      expect(arraysIn(result.state).some((a) => handedOut.has(a))).toBe(false);
      expect(stateBytes(result.state).equals(stateBytes(fresh.state))).toBe(true);
      lent.state = result.state;
      lent.params = lent.params.map((p, i) => p + result.updates[i]!);
    }
  });

  it('with a step workspace that records squares (‖Δθ‖ without a pass of its own): the same updates and diagnostics, bit for bit', () => {
    const fresh = startRun(spec);
    const lent = startRun(spec);
    const workspace = new StepWorkspace();
    for (let t = 1; t <= 4; t++) {
      for (const run of [fresh, lent]) {
        const { grads, sampled } = run.stream.next().value!;
        feed(run.estimator, grads, BATCH, sampled);
        run.step += 1;
      }
      workspace.reset();
      const plain = optimizer.update(fresh.estimator.meanGrad(), fresh.state as never, context(fresh.estimator, fresh.step, fresh.params));
      const noted = optimizer.update(lent.estimator.meanGrad(), lent.state as never, { ...context(lent.estimator, lent.step, lent.params), workspace });
      expect(workspace.squaresOf(noted.updates)).toBeTypeOf('number'); // the last transform, scaleByLearningRate, recorded them
      expect(bitwiseEqual(noted.updates, plain.updates)).toBe(true);
      expect(Object.is(noted.diagnostics.updateNorm, plain.diagnostics.updateNorm)).toBe(true);
      expect(noted.diagnostics).toEqual(plain.diagnostics);
      for (const [run, result] of [[fresh, plain], [lent, noted]] as const) {
        run.state = result.state;
        run.params = run.params.map((p, i) => p + result.updates[i]!);
      }
    }
  });

  it('is deterministic: the same stream gives bitwise the same updates', () => {
    const a = startRun(spec);
    const b = startRun(spec);
    for (let t = 0; t < 4; t++) expect(bitwiseEqual(advance(spec, a), advance(spec, b))).toBe(true);
  });

  it('survives a checkpoint: state → bytes → state continues bitwise identically', () => {
    const original = startRun(spec);
    for (let t = 0; t < 3; t++) advance(spec, original);
    const bytes = stateBytes(original.state);
    // Replay the estimator and params to the same point (they are the session's to checkpoint), then
    // replace the optimizer state with the decoded one.
    const restored = startRun(spec);
    for (let t = 0; t < 3; t++) advance(spec, restored);
    restored.state = decodeSnapshotValue(bytes) as OptState;
    expect(restored.state).not.toBe(original.state);
    for (let t = 0; t < 3; t++) expect(bitwiseEqual(advance(spec, original), advance(spec, restored))).toBe(true);
  });

  it('keeps the shape of its initial state and returns finite, nonzero updates', () => {
    const run = startRun(spec);
    const initial = optimizer.init(DIM);
    for (let t = 0; t < 4; t++) {
      const updates = advance(spec, run);
      expect(sameShape(initial, run.state)).toBe(true);
      expect(updates.every(Number.isFinite)).toBe(true);
      expect(updates.some((u) => u !== 0)).toBe(true);
    }
  });

  it('moves downhill on the first step: ⟨Δθ, ḡ⟩ < 0', () => {
    const run = startRun({ ...spec, weightDecay: 0 });
    const updates = advance({ ...spec, weightDecay: 0 }, run);
    const meanGrad = run.estimator.meanGrad();
    expect(updates.reduce((s, u, i) => s + u * meanGrad[i]!, 0)).toBeLessThan(0);
  });
});

it('StepWorkspace: distinct arrays within a step, the same ones again after reset', () => {
  const workspace = new StepWorkspace();
  const [a, b] = [workspace.vector(4), workspace.vector(4)];
  expect(a).not.toBe(b);
  const c = workspace.vector(3);
  expect(c.length).toBe(3);
  workspace.reset();
  expect(workspace.vector(4)).toBe(a);
  expect(workspace.vector(4)).toBe(b);
  expect(workspace.vector(5)).not.toBe(c); // another length: a new array in that slot
});

it('StepWorkspace: recorded squares hold for this step\'s arrays only, until the array is handed out again or the workspace reset', () => {
  const workspace = new StepWorkspace();
  const a = workspace.vector(4);
  workspace.noteSquares(a, 2.5);
  workspace.noteSquares(new Float64Array(4), 1); // not one of its arrays: ignored
  expect(workspace.squaresOf(a)).toBe(2.5);
  workspace.reset();
  expect(workspace.squaresOf(a)).toBeUndefined();
  workspace.noteSquares(a, 3); // taken back and not handed out yet: ignored
  expect(workspace.squaresOf(a)).toBeUndefined();
  expect(workspace.vector(4)).toBe(a);
  workspace.noteSquares(a, 3);
  workspace.reset();
  expect(workspace.vector(4)).toBe(a); // handed out again: to be written anew
  expect(workspace.squaresOf(a)).toBeUndefined();
});

it.each(availableKernels())('scaleByLearningRate with a step workspace on the %s kernels (past the native threshold): −γ·u and Σ (−γ·u)² as norm2 sums them, bit for bit', (kernels: KernelsName) => {
  const initial = kernelsInUse();
  useKernels(kernels);
  try {
    const rng = new Rng(9);
    const u = Float64Array.from(rng.normals(10_001), (x) => x * 10 ** Math.round(rng.normal() * 4));
    const workspace = new StepWorkspace();
    const lr = scaleByLearningRate(0.37);
    const { updates } = lr.update(u, lr.init(u.length), { ...context(makeEstimator(DIM, REFERENCE, { structure: STRUCTURE, decay: 0.5 })), workspace });
    const want = Float64Array.from(u, (x) => -0.37 * x);
    expect(bitwiseEqual(updates, want)).toBe(true);
    let squares = 0;
    for (let i = 0; i < want.length; i++) squares += want[i]! * want[i]!;
    expect(Object.is(workspace.squaresOf(updates), squares)).toBe(true);
    expect(Object.is(norm2FromSquares(squares, updates), norm2(want))).toBe(true);
  } finally {
    useKernels(initial);
  }
});

it('the list covers every public optimizer', () => {
  const names = new Set(OPTIMIZERS_UNDER_TEST.map((o) => o.spec.name));
  expect([...names].sort()).toEqual(['adam', 'efgd', 'ngd', 'sgd', 'snr', 'va']);
});
