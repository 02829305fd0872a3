/**
 * The daemon's own work per step of a K-FAC session, phase by phase, in-process (no sockets): the model of
 * bench/torch_step.py's `kfac` contender, an MLP 784→1024→256→10 (every layer a Kronecker block with a
 * bias, D = 1 068 810), NGD with the sampled-label Fisher (K = 1), π-damping, λ = 1e-3, factors every step
 * and refreshes every 10 factor updates (`KroneckerSender(refresh_every=10, damping='pi')`), b = 64, on
 * the openblas backend. Each step's contribution is what the Python client sends: the gradient sums and
 * the factor sums as float32 packed upper triangles, encoded and decoded through the real codec.
 *
 * Phases of one step, as the daemon runs it (src/server/session-host.ts):
 *   decode   the ClientMessage frame and `contributionFromWire` (the factors unpacked into float64)
 *   check    `validateContribution` on arrival (session-adapter.ts `check`)
 *   jobs     `Session.refreshJobsFor` (every step: the refresh jobs of a step that makes refreshes due)
 *   step     `Session.step` with the jobs' decompositions precomputed (as the refresh threads would):
 *            the diagnostics' computeMs, what torch_step.py reports as `daemon`
 * and, within `step`, the time spent in a few methods (wrapped here; "–" when absent in the build):
 *   assemble, checkpoint, factor checks (`KroneckerEstimate.validateFactors`), EMA (accumulate + commit),
 *   install (precomputed decompositions), solve (the NGD rule's block solves), layer diagnostics; and
 *   `outside solve`, the step's time less the solve's (what the daemon spends per step besides the solves).
 * Refresh decompositions themselves (worker threads in the daemon) are computed outside the timed phases.
 *
 * `--sum-as=factors` sends fc1's and fc2's gradient sums as thin factors (`sumFactors`, rank b; math.md "Low-rank
 * gradient sums"), as the Python client's default does, instead of dense sums.
 *
 * Run: `npm run build && node dist/bench/kfac-session.js [--steps=30] [--warmup=3] [--sum-as=sum|factors] [--json]`. Medians are
 * over the timed steps; refresh steps (one in 10) are reported separately as `refresh steps`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { KroneckerEstimate } from '../src/curvature/kronecker-estimate.js';
import { decomposeKroneckerFactors } from '../src/curvature/kronecker-decomposition.js';
import { CurvatureEstimator } from '../src/curvature/estimator.js';
import { EstimateBase } from '../src/curvature/estimate-base.js';
import { createBackend } from '../src/linalg/index.js';
import { decodeClientMessage, encodeClientMessage } from '../src/protocol/frames.js';
import { contributionFromWire, contributionToWire, releaseContribution } from '../src/protocol/step-codec.js';
import { validateContribution, type StepContribution } from '../src/session/contribution.js';
import type { SessionConfig } from '../src/session/config.js';
import { Session } from '../src/session/session.js';
import type { BlockStatistics } from '../src/session/statistics.js';
import { hashedRows } from './core.js';

const LAYERS: [string, number, number][] = [['fc1', 1024, 784], ['fc2', 256, 1024], ['fc3', 10, 256]];

/** Accumulated ms per label during one step. */
const spent = new Map<string, number>();

function wrap(proto: object, name: string, label: string): boolean {
  const target = proto as Record<string, unknown>;
  const original = target[name];
  if (typeof original !== 'function') return false;
  let depth = 0;
  target[name] = function (this: unknown, ...args: unknown[]) {
    if (depth > 0) return (original as (...a: unknown[]) => unknown).apply(this, args);
    depth++;
    const t0 = performance.now();
    try {
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } finally {
      depth--;
      spent.set(label, (spent.get(label) ?? 0) + performance.now() - t0);
    }
  };
  return true;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export async function runKfacSessionBench(options: {
  steps?: number;
  warmup?: number;
  /**
   * How the gradient sums travel: 'sum' (default, dense) or 'factors' (`sumFactors`, L = the e rows, R = the ā
   * rows, rank b, where that is fewer values: fc1 and fc2; the Python client's gradient_factors='auto').
   */
  sumAs?: 'sum' | 'factors';
} = {}): Promise<Record<string, { plain: number; refresh: number }>> {
  const steps = options.steps ?? 30;
  const warmup = options.warmup ?? 3;
  const b = 64;
  const backend = await createBackend('openblas');
  const inner = ([
    [Session.prototype, 'assemble', 'assemble'],
    [CurvatureEstimator.prototype, 'checkpoint', 'checkpoint'],
    [KroneckerEstimate.prototype, 'validateFactors', 'factor checks'],
    [KroneckerEstimate.prototype, 'accumulateFactors', 'ema'],
    [KroneckerEstimate.prototype, 'commitUpdate', 'ema'],
    [KroneckerEstimate.prototype, 'installPrecomputed', 'install'],
    [EstimateBase.prototype, 'solve', 'solve'],
    [Session.prototype, 'layerDiagnostics', 'layer diagnostics'],
  ] as const).filter(([proto, name, label]) => wrap(proto, name, label)).map(([, , label]) => label);
  const labels = [...new Set(inner)];

  const dim = LAYERS.reduce((s, [, o, i]) => s + o * (i + 1), 0);
  const config: SessionConfig = {
    dim,
    blocks: LAYERS.map(([name, outputs, inputs]) => ({
      name, size: outputs * (inputs + 1), structure: { kind: 'kronecker', outputs, inputs, bias: true, damping: 'pi', refreshEvery: 10 },
    })),
    optimizer: { name: 'ngd', stepSize: 1, damping: 1e-3 },
    backend: 'openblas',
    track: { fisher: true },
  } as SessionConfig;
  const session = await Session.open(config);

  // One step's frame: inputs (ReLU'd hashes, a bias 1), sampled-label output gradients, their gram sums.
  const gram = (rows: Float64Array, n: number): Float64Array => {
    const out = new Float64Array(n * n);
    backend.gemm(true, false, n, n, b, 1, rows, rows, 0, out);
    return out;
  };
  const frameOf = (step: number): Uint8Array => {
    const statistics: BlockStatistics[] = LAYERS.map(([name, outputs, inputs], k) => {
      const a = Float64Array.from(hashedRows(b, inputs + 1), (x, j) => ((j + 1) % (inputs + 1) === 0 ? 1 : Math.max(0, x)));
      const e = Float64Array.from(hashedRows(b, outputs), (x) => x * 1e-2 * (k + 1));
      const factored = options.sumAs === 'factors' && b * (outputs + inputs + 1) < outputs * (inputs + 1);
      return {
        block: name, kind: 'kronecker',
        kronecker: {
          count: b,
          // (a mean-reduced hook's rows: e/b)
          ...(factored ? { sumFactors: { rank: b, outputGrads: Float32Array.from(e, (x) => x / b), inputs: Float32Array.from(a) } }
            : { sum: Float32Array.from(hashedRows(1, outputs * (inputs + 1)), (x) => x * 1e-3) }),
          factors: { inputSum: gram(a, inputs + 1), inputCount: b, sampled: { sum: gram(e, outputs), count: b }, samplesPerExample: 1 },
        },
      } as BlockStatistics;
    });
    const c: StepContribution = { step, workerId: 0, batchSize: b, reduction: 'mean', loss: 2.3, statistics };
    return encodeClientMessage({ step: contributionToWire(c, { statisticsEncoding: 'float32' }) });
  };
  const template = frameOf(1);
  // The frame of step t differs only in its step number: re-encode the decoded template with it.
  const templateMessage = decodeClientMessage(template).step!;

  const samples: Record<string, { plain: number[]; refresh: number[] }> = {};
  const record = (label: string, ms: number, refresh: boolean) => {
    const s = (samples[label] ??= { plain: [], refresh: [] });
    (refresh ? s.refresh : s.plain).push(ms);
  };
  for (let t = 1; t <= warmup + steps; t++) {
    const frame = t === 1 ? template : encodeClientMessage({ step: { ...templateMessage, step: t } });
    let t0 = performance.now();
    const c = contributionFromWire(decodeClientMessage(frame).step!);
    const decode = performance.now() - t0;
    t0 = performance.now();
    validateContribution(c, session.contributionRequirements(c.step));
    const check = performance.now() - t0;
    t0 = performance.now();
    const jobs = session.refreshJobsFor([c]);
    const jobsMs = performance.now() - t0;
    const precomputed = jobs.map((r) => ({ estimate: r.estimate, block: r.block, decomposition: decomposeKroneckerFactors(r.job, backend) }));
    spent.clear();
    const result = session.step([c], precomputed);
    releaseContribution(c); // as session-host.ts does once the update is out
    session.recycleUpdate(result.update); // and session-adapter.ts `recycle`: the next step writes into this array
    if (t <= warmup) continue;
    const refresh = jobs.length > 0;
    record('decode', decode, refresh);
    record('check', check, refresh);
    record('jobs', jobsMs, refresh);
    record('step (computeMs)', result.diagnostics.computeMs, refresh);
    for (const label of labels) record(`  ${label}`, spent.get(label) ?? 0, refresh);
    record('  outside solve', result.diagnostics.computeMs - (spent.get('solve') ?? 0), refresh);
  }
  backend.dispose();
  const out: Record<string, { plain: number; refresh: number }> = {};
  for (const [label, s] of Object.entries(samples)) out[label] = { plain: median(s.plain), refresh: median(s.refresh) };
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const sumAs = flag('sum-as') ?? 'sum';
  if (sumAs !== 'sum' && sumAs !== 'factors') throw new Error(`--sum-as must be sum or factors, got ${sumAs}`);
  const result = await runKfacSessionBench({ steps: Number(flag('steps') ?? 30), warmup: Number(flag('warmup') ?? 3), sumAs });
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else console.table(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, { 'ms (plain steps)': v.plain.toFixed(2), 'ms (refresh steps)': v.refresh.toFixed(2) }])));
}
