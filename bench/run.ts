/**
 * Runs fisherd's benchmarks and writes bench/RESULTS.md: the machine (CPU model, cores, Node, BLAS), then
 * one table per benchmark. `npm run bench` = `npm run build && node dist/bench/run.js`.
 *
 * Flags: `--only=core,linalg,roundtrip,statistics,kfac,replay,record,grid,torch` runs a subset (default all); `--shrink=N` divides the core and
 * kernel benchmarks' dimensions by N (a quick smoke run; the file then says so); `--out=PATH` writes
 * elsewhere. Every benchmark carries its own baseline in the same run (numpy for core, the reference
 * backend for the kernels, a bare file read for replay, the daemon without recording for record), so
 * numbers are comparable within a table, not across machines.
 */
import { runRoundtripBench, runStatisticsRoundtripBench, type RoundtripBenchRow } from './roundtrip.js';
import { wsNativeMasking } from './daemon-child.js';
import { runKfacBench, type KfacBenchResult } from './kfac.js';
import { PHASES, runStatisticsStepBench, type MemoryFloorRow, type StatisticsStepRow } from './statistics-step.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOpenBlasBackend } from '../src/linalg/openblas.js';
import { runCoreBench, type CoreBenchResult } from './core.js';
import { runLinalgBench, type BenchRow } from './linalg-kernels.js';
import { runRecordOverheadBench, type RecordOverheadRow } from './record-overhead.js';
import { runReplayBench, type ReplayBenchRow } from './replay.js';
import { runGridBench, type GridBenchResult } from './grid.js';
import { runTorchStepBench, TORCH_PHASES, type TorchStepResult } from './torch-step.js';

const BENCHES = ['core', 'linalg', 'roundtrip', 'statistics', 'kfac', 'replay', 'record', 'grid', 'torch'] as const;
type BenchName = (typeof BENCHES)[number];

function flag(name: string): string | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3);
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // not Linux: fall back to Node's view
  }
  return cpus()[0]?.model ?? 'unknown';
}

function openBlasDetail(): string {
  try {
    const backend = createOpenBlasBackend();
    const detail = backend.detail;
    backend.dispose();
    return detail;
  } catch (e) {
    return `unavailable (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** A number with `digits` significant digits, or '—'. */
function fmt(value: number | undefined, digits = 3): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return Math.abs(value) >= 10 ** digits ? value.toFixed(0) : value.toPrecision(digits);
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function coreSection(result: CoreBenchResult): string {
  const numpy = result.numpy.available
    ? `numpy ${result.numpy.version} (Python ${result.numpy.python}, /usr/bin/python3) on ${result.numpy.blas}`
    : `**numpy missing**: ${result.numpy.reason}. The table has no baseline.`;
  return [
    '## Core: one estimate update + one damped solve per step (bench/core.ts)',
    '',
    'Empirical-Fisher EMA (β = 0.95) from b per-example rows, then `(Ẽ + λI)⁻¹ḡ` (λ = 1e-3), through',
    '`CurvatureEstimator`; the numpy baseline (bench/numpy_core.py) runs the same algorithms with float32',
    'storage and float64 small solves, written at its best: every array preallocated and written in place, the',
    'Gram as a symmetric rank-k update (ssyrk) into the estimate, the Cholesky factorization (dpotrf/dpotrs) in',
    'place on a float64 buffer kept from step to step (scipy is not installed here: these LAPACK/BLAS calls go',
    'through ctypes into the libraries numpy loaded; numpy\'s own `g.T @ g` measured 6–14× slower than ssyrk).',
    'numpy and fisherd run round by round (one step of each in turn, a persistent numpy process), so that the',
    `shared machine's drift weighs on both. Baseline: ${numpy}`,
    '',
    '`× numpy` = numpy median / median (> 1: faster than numpy). `p10–p90` is the spread of the timed steps.',
    'GFLOP/s from the nominal FLOP counts in bench/core.ts.',
    '`agreement` = max |x − x_numpy| / max |x_numpy| over 64 sampled entries of the last solve (same rows on both sides).',
    'Both sides store the estimate in float32 (the reference backend in float64), so agreement is bounded by',
    'ε₃₂ amplified by the damped solve: ~ε₃₂·‖A‖/λ ≈ 1e-2 for the low-rank Woodbury solve at λ = 1e-3, ~1e-4 for',
    'the full and block Cholesky solves; a value above 0.1 is flagged as a wrong result.',
    '',
    table(
      ['case', 'implementation', 'ms / step', 'p10–p90 ms', 'GFLOP/s', '× numpy', 'agreement', 'reps', 'note'],
      result.rows.map((r) => [
        r.case, r.impl, fmt(r.ms), r.p10 === undefined ? '—' : `${fmt(r.p10)}–${fmt(r.p90)}`, fmt(r.gflops), fmt(r.speedVsNumpy), r.agreement === undefined ? '—' : r.agreement.toExponential(1),
        String(r.reps), r.note ?? '',
      ]),
    ),
  ].join('\n');
}

function linalgSection(rows: BenchRow[]): string {
  return [
    '## Kernels per backend (bench/linalg-kernels.ts)',
    '',
    '`× reference` = reference ms / ms.',
    '',
    table(['op', 'backend', 'ms', 'GFLOP/s', '× reference'], rows.map((r) => [r.op, r.backend, fmt(r.ms), fmt(r.gflops), fmt(r.ratioToRef)])),
  ].join('\n');
}

function replaySection(rows: ReplayBenchRow[]): string {
  return [
    '## Trace replay and recording (bench/replay.ts)',
    '',
    'A trace of 200 steps (D = 50 000, 32 per-example + 32 sampled-label rows per step: 12.8 MB per record, 2.6 GB),',
    'written, synced, then read in the same run: a bare sequential read in 1 MiB chunks (median of 3), the trace layer',
    '(read, CRC-32C, decode) without compute, and replays of the recorded NGD with the diagonal structure (with the',
    'default worker threads, and in the main thread only; median of 3) and with low-rank:8, all tracking the empirical',
    'Fisher, the noise covariance and the Fisher for the diagnostics. `× bare read` = MB/s / the bare read\'s MB/s under',
    'the same cache condition (warm: page cache; cold: dropped before each read). Target ≥ 0.5 for diagonal.',
    'The `16 MiB reads` row (context only) reads the same files in record-sized reads: the baseline is not the fastest',
    'way to read them here.',
    '',
    'The bare read and the two diagonal replays run in three interleaved rounds (bare, threads, main thread only),',
    'so that a drift of the shared host\'s speed weighs on both sides of the ratio. Where the diagonal replay\'s time',
    'goes (per-phase timers, this machine, warm): per 12.8 MB step, the worker thread reads the frame into the',
    'kernels\' memory (~1.0–1.3 ms), checksums it (~0.35 ms, ISA-L), sums each set of rows in one kernel pass (Σg, Σg²,',
    'Σ(g−c)², Σ(g−c) together; Σg̃²: ~0.9 ms) and decodes and checks (~0.3 ms): ~2.4 ms alone; the main thread folds',
    'the summary and runs the rule with its diagnostics, O(D) (~1.3 ms alone). Run together, each slows by 1.3–2×',
    '(they share the last-level cache and the memory bus with the page cache), so a step takes ~4 ms against ~1.1–1.4',
    'ms for the bare read, which copies each byte once into a buffer that stays in cache. The worker thread starts',
    'with the first record (~0.1–0.3 s) while the main thread replays the first steps itself (the row says how many',
    'steps the thread summarized). Runs on this VM differ by up to ±30% (the host is shared): compare rows of one table.',
    '',
    table(
      ['case', 'steps', 'MB', 's', 'steps/s', 'MB/s', '× bare read', 'overhead ms/step'],
      rows.map((r) => [
        r.case, String(r.steps), fmt(r.megabytes), fmt(r.seconds), fmt(r.stepsPerSecond), fmt(r.mbPerSecond),
        fmt(r.ratioToBareRead), fmt(r.overheadMsPerStep),
      ]),
    ),
  ].join('\n');
}

const range = (p10: number, p90: number): string => `${fmt(p10)}–${fmt(p90)}`;

function roundtripSection(rows: RoundtripBenchRow[], statistics: RoundtripBenchRow[]): string {
  const first = rows[0]!;
  const s0 = statistics[0]!;
  return [
    '## Step round trip through the daemon vs a bare ws echo (bench/roundtrip.ts)',
    '',
    `Part 1, rows: one client, sequential steps of D = ${first.dim}, b = ${first.batchSize} per-example rows (${fmt(first.requestBytes / 1e6)} MB`,
    'per request); fisherd (a child process, default backend) and a bare ws echo server of the same bytes run round by',
    'round, one step each per round in an order rotated every round. `ratio` = echo median / fisherd median (throughput',
    'ratio, target ≥ 0.8); `ratio excl. compute` removes the session\'s own estimate update and solve (benchmarked under',
    'Core), leaving protocol and session overhead. ws\'s native helpers (the optional `bufferutil` package: frame',
    `masking/unmasking in C instead of a JavaScript byte loop) ${wsNativeMasking() ? 'load here' : '**do not load here** (bufferutil not installed)'};`,
    '`fisherd (WS_NO_BUFFER_UTIL)` is the same daemon with them switched off, in the same rounds (the A/B of the',
    'daemon\'s unmasking; the client, this process, masks with the native helpers when they load). `server CPU` = the',
    'server process\'s CPU time per step (/proc), steadier than latency on this shared machine.',
    '',
    table(['case', 'transport', 'median ms', 'p10–p90 ms', 'MB/s', 'server CPU ms', 'compute ms', 'ratio', 'ratio excl. compute'], rows.map((r) => [
      r.case, r.transport, fmt(r.medianMs), range(r.p10Ms, r.p90Ms), fmt(r.mbPerSecond), fmt(r.serverCpuMs), fmt(r.computeMs), fmt(r.ratio), fmt(r.ratioExcludingCompute),
    ])),
    '',
    `Part 2, statistics: D = ${s0.dim}, b = ${s0.batchSize}, diagonal NGD with sampled labels (K = 1): the step as b sampled-label rows`,
    `(+ ḡ: ${fmt(s0.requestBytes / 1e6)} MB), as statistics in float32 (Σg, Σg̃²) and in float16, and a bare ws echo of each statistics`,
    'frame answered with an update-sized frame; one daemon per fisherd row; all in the same rounds (rotated order).',
    'Targets (issue 13): `× rows` (rows median / statistics median) ≥ 50, `ratio` (echo of the same bytes / fisherd) ≥ 1/1.5 = 0.67.',
    `The rows carry ${statistics.filter((r) => r.transport === 'fisherd' && r.speedupVsRows !== undefined).map((r) => `${fmt(s0.requestBytes / r.requestBytes)}× the bytes of the ${r.case.split(' ').at(-1)} statistics`).join(' and ')}:`,
    'where a step costs about the same per byte on both paths (transport, unmasking, protobuf framing), `× rows` cannot exceed',
    'that byte ratio much, whatever the daemon\'s compute costs. `× rows` on an echo row is rows median / echo median: the',
    '`× rows` a daemon that computed nothing at all would show with these bytes on this machine (the bound of the target).',
    '',
    table(['case', 'transport', 'request MB', 'median ms', 'p10–p90 ms', 'server CPU ms', 'compute ms', 'ratio', '× rows'], statistics.map((r) => [
      r.case, r.transport, fmt(r.requestBytes / 1e6), fmt(r.medianMs), range(r.p10Ms, r.p90Ms), fmt(r.serverCpuMs), fmt(r.computeMs), fmt(r.ratio),
      r.transport === 'ws echo' && statistics[0]?.transport === 'fisherd' && statistics[0].speedupVsRows === undefined
        ? fmt(statistics[0].medianMs / r.medianMs) : fmt(r.speedupVsRows),
    ])),
  ].join('\n');
}

function statisticsSection({ rows, floor }: { rows: StatisticsStepRow[]; floor: MemoryFloorRow }): string {
  const first = rows[0]!;
  return [
    '## A diagonal step from statistics, in the daemon (bench/statistics-step.ts)',
    '',
    `The daemon's work for one step from one worker's statistics at D = ${first.dim}, b = ${first.batchSize}, in one process (no socket):`,
    'decode (the ClientMessage frame and `contributionFromWire`), check (`validateContribution`, as on arrival), step',
    '(`Session.step`: merge, fold, rule, float32 update, diagnostics) and encode (the Update frame, built around Δθ, which the',
    'step wrote with room in front for the header: src/protocol/update-frame.ts), in ns per coordinate; `encode (copy)`: the',
    'general path\'s encode of the same update (Δθ copied into a reused buffer), the encode\'s baseline, untimed in the step;',
    `median and p10–p90 over ${first.steps} steps, the cases round by round; default backend. \`CPU ns\` is the process's CPU time`,
    '(all threads, GC included) per step and coordinate. Target (issue 13): ≤ 5 ns per coordinate.',
    '',
    'The step is one pass over the coordinates for one worker on sgd / ngd / efgd / snr (ngd and efgd also with the other',
    'Fisher tracked: both folded, and the EF-vs-Fisher cosine from the two solves), on the diagonal structure or on',
    'parameter blocks that are all diagonal (src/session/statistics-step.ts: merge, fold into ḡ\'s EMA and the diagonal',
    'estimate, the solve or SNR factors, the step size, the float32 update, ‖ḡ‖ and ‖Δθ‖, the next state written into',
    'spare arrays swapped in on success, so no checkpoint copy; the values scanned once, on arrival), the same bits as the',
    'general path; the update array is recycled once sent. `kernels`: the pass, the arrival scans and the float16 decoding',
    'as native kernels (native/fisherd-kernels.c, C built at install, vectorized, through koffi) or as the JavaScript',
    'loops they replace (`FISHERD_KERNELS=javascript`), the same bits; `× JavaScript` = the JavaScript row\'s median over',
    'the native one\'s, same case, same rounds. `memory floor`: the bytes the pass reads and writes (~20 each per',
    'coordinate), moved by memmove in the same rounds: what one thread needs to move them here, whatever the arithmetic;',
    '`× floor` = floor / step.',
    '',
    `memory floor: ${fmt(floor.nsPerCoordinate)} ns per coordinate (p10–p90 ${range(floor.p10, floor.p90)}).`,
    '',
    table(['case', 'encoding', 'kernels', 'request MB', 'ns / coordinate', 'p10–p90', 'CPU ns / coordinate', ...PHASES.map((p) => `${p} ns`), 'encode (copy) ns', '× floor', '× JavaScript'], rows.map((r) => {
      const js = rows.find((o) => o.case === r.case && o.encoding === r.encoding && o.kernels === 'javascript');
      return [
        r.case, r.encoding, r.kernels, fmt(r.requestBytes / 1e6), fmt(r.nsPerCoordinate), range(r.p10, r.p90), fmt(r.cpuNsPerCoordinate), ...PHASES.map((p) => fmt(r.phases[p])),
        `${fmt(r.encodeCopy)}${r.encodePath === 'in place' ? '' : ' (encode copied too)'}`, fmt(floor.nsPerCoordinate / r.phases.step), r.kernels === 'native' && js !== undefined ? fmt(js.nsPerCoordinate / r.nsPerCoordinate) : '—',
      ];
    })),
  ].join('\n');
}

function kfacSection(result: KfacBenchResult): string {
  const numpy = result.numpy.available ? `numpy ${result.numpy.version} on ${result.numpy.blas}` : `**numpy missing**: ${result.numpy.reason}`;
  const big = result.layers.filter(([o, i]) => o === result.layers[0]![0] && i === result.layers[0]![1]).length;
  return [
    '## K-FAC: daemon compute against numpy (bench/kfac.ts)',
    '',
    `${result.layers.length} Kronecker blocks (${big} of ${result.layers[0]![0]} × ${result.layers[0]![1]}, the rest ${result.layers.at(-1)![0]} outputs × ${result.layers.at(-1)![1]} inputs),`,
    `each with a bias: ${(result.parameters / 1e6).toFixed(2)} M parameters; factor sums from b = ${result.batch} rows. Library level (\`KroneckerEstimate\`,`,
    'openblas backend): `ema` = `updateFactors` on every block (with its checks: finite, symmetric, diagonal ≥ 0;',
    'numpy\'s side checks nothing), `ema arithmetic` = the same EMA through the streaming calls without the checks, `refresh` =',
    '`refreshDecompositions` (bias-corrected copies, dsyevd per factor), `solve` = `solve(v, λ)` with the installed decompositions',
    `(four float64 gemms per block and the divisor λ_G λ_Aᵀ + λ formed in the solve, on both sides); fisherd on ${result.kernels}`,
    `(the checks, the EMA, the division). numpy (bench/numpy_kfac.py, ${numpy}) does the same math on the same factors`,
    'in the same layout (in-place EMA, numpy.linalg.eigh: the same dsyevd of the same OpenBLAS, matmul into preallocated arrays);',
    'the two alternate phase by phase, round by round.',
    '`× numpy` = numpy median / fisherd median (target ≥ 1); `agreement` as under Core, over sampled entries of every block\'s solve.',
    '',
    table(['phase', 'implementation', 'ms', 'p10–p90 ms', 'CPU ms', '× numpy', 'agreement', 'rounds'], result.rows.map((r) => [
      r.phase, r.impl, fmt(r.ms), range(r.p10, r.p90), fmt(r.cpuMs), fmt(r.speedVsNumpy), r.agreement === undefined ? '—' : r.agreement.toExponential(1), String(r.reps),
    ])),
  ].join('\n');
}

function recordSection(rows: RecordOverheadRow[]): string {
  const first = rows[0]!;
  return [
    '## Recording overhead on the daemon\'s step round trip (bench/record-overhead.ts)',
    '',
    `One daemon per policy (child processes, reference backend), one session each (diagonal EFGD, D = ${first.dim},`,
    `b = ${first.batchSize} per-example rows), sequential steps round-robin over the daemons; median of ${first.steps} steps.`,
    '`× no recording` = median / the median without recording; `daemon CPU` = the daemon process\'s CPU time per step',
    '(steadier than wall time on a shared machine; the rest of a policy\'s overhead is waiting for the disk).',
    '',
    table(['policy', 'ms / step', 'p90 ms', '× no recording', 'trace MB / step', 'daemon CPU ms / step'], rows.map((r) => [
      r.policy, fmt(r.msPerStep), fmt(r.p90Ms), fmt(r.ratioToNoRecording), fmt(r.traceMbPerStep), fmt(r.daemonCpuMsPerStep),
    ])),
  ].join('\n');
}

function gridSection(result: GridBenchResult): string {
  const range = (v: number[]): string => `${fmt(Math.min(...v))}–${fmt(Math.max(...v))}`;
  const best = (r: GridBenchResult['rows'][number]): string => (['gd', 'ngd', 'efgd'] as const)
    .map((o) => `${o} ${r.best[o][0]}${r.best[o][1] === null ? '' : `/${r.best[o][1]}`}`).join(', ');
  return [
    `## Table 5 grid on ${result.dataset} vs numpy over the grid points (bench/grid.ts)`,
    '',
    `${result.runs} runs (GD, NGD, EFGD × 241 step sizes × 41 dampings) of 100 iterations, one whole grid per round,`,
    `${result.rounds} interleaved rounds. fisherd: \`gridSearch\` with the runs batched in lock-step through the openblas`,
    'backend\'s gemm (src/lab/grid/batched.ts); numpy: bench/numpy_grid.py, the same moment algebra vectorized over the',
    'grid points, `np.linalg.solve` on the stacked damped matrices' + (result.numpy.available ? ` (numpy ${result.numpy.version ?? '?'}).` : ` — **numpy missing**: ${result.numpy.reason}.`),
    '`× numpy` = the faster numpy row\'s median / median (> 1: faster than numpy at its best thread setting). CPU = user + system, all threads.',
    `Selected runs (log₁₀γ/log₁₀λ) are near-ties at the least-squares optimum; largest relative difference of the`,
    `selected final losses, fisherd vs numpy: ${result.agreement === undefined ? '—' : result.agreement.toExponential(1)}.`,
    '',
    table(['contender', 'median s', 'range s', 'median CPU s', '× numpy', 'selected'], result.rows.map((r) => [
      r.contender, fmt(r.medianSeconds), range(r.seconds), fmt(r.medianCpuSeconds), fmt(r.ratioToNumpy), best(r),
    ])),
  ].join('\n');
}

function torchTable(result: TorchStepResult): string {
  const kb = (v: number | string | null): string => (typeof v === 'number' && v > 0 ? fmt(v / 1e3) : '—');
  const ms = (v: number | string | null): string => (typeof v === 'number' ? fmt(v) : '—');
  return table(['model', 'contender', 'via', 'ms / step', 'p10–p90', 'mean ms', '× Adam', ...TORCH_PHASES, 'kB up', 'kB down'], (result.models ?? []).flatMap((m) => m.rows.map((r) => [
    `${m.model} (D = ${m.dim})`, r.contender, typeof r['via'] === 'string' ? r['via'] : '—', fmt(r.ms), `${fmt(r.p10)}–${fmt(r.p90)}`, ms(r['mean ms'] ?? null), ms(r['x adam'] ?? null),
    ...TORCH_PHASES.map((p) => ms(r[p] ?? null)), kb(r['bytes up'] ?? null), kb(r['bytes down'] ?? null),
  ])));
}

/** `sparse`: the MLP's K-FAC contenders with factors every 10 steps (`--factors-every 10`), run after `result`. */
function torchSection(result: TorchStepResult, sparse?: TorchStepResult): string {
  const head = '## PyTorch training step: fisherd Preconditioner vs torch Adam (bench/torch_step.py)';
  if (!result.available) return `${head}\n\nNot run: ${result.reason}.`;
  const skipped = Object.entries(result.skipped ?? {}).map(([name, why]) => `\`${name}\` not run: ${why}.`).join(' ');
  return [
    head,
    '',
    `The whole step (zero_grad, forward, loss, backward(s), statistics, round trip, update, optimizer step), b = ${result.batch_size},`,
    `torch ${result.torch} with ${result.threads} thread (the daemon, backend ${result.backend}, has the other core), Python ${result.python},`,
    `websockets C speedups ${result.websockets_speedups ? 'present' : 'absent (Debian\'s python3-websockets)'}; the client's frames masked with ${result.masking ?? 'an unrecorded mask'}${result.masking === 'numpy' ? ' (the client\'s numpy mask, installed where websockets has no C speedups)' : ''}.`,
    `Contenders round by round in rotated order, ${result.rounds} rounds × ${result.steps} steps each after a warm-up; medians per step`,
    '(`mean ms`: the mean, which counts the steps that refresh or send factors).',
    '`× Adam` = median / Adam\'s median in the same run (targets: diagonal NGD ≤ 4, K-FAC ≤ 6). Phases (ms, medians, so they',
    'need not add up): fwd+bwd without the sampled-label pass; sample = the sampled-label backward to the layer outputs;',
    'stats = reducing the hook quantities into the sums; encode = StepInput + protobuf (client); round trip = `client.step`',
    'minus encode and decode, split into daemon = the session\'s own compute (`compute_seconds`) and transport = the rest',
    '(shared-memory writes and reads, or websockets framing and masking; the client\'s event-loop thread hop, the daemon\'s',
    'decode, encode and event loop); decode = update message → numpy; apply = p.grad = −Δθ plus the optimizer step. `via`:',
    'how the payloads went, through shared-memory files with the co-located daemon (the client\'s default) or WebSocket',
    'frames (`ngd-diag-ws`, `shared_memory=False`). Bytes are whole messages, frames or shared-memory payloads.',
    '`kfac` sends, with the client\'s defaults, the MLP\'s two wide layers\' gradient sums as thin factors (the b output-gradient',
    'and input rows: `gradient_factors=\'auto\'`, math.md "Low-rank gradient sums") and its factor sums every step.',
    '`kfac-torch` is the in-process alternative: the same K-FAC NGD (sampled labels, π-damping, refresh every 10) written',
    'in torch in the training process (bench/torch_kfac_inprocess.py, what kfac-pytorch\'s \'inverse\' method does), its',
    '`stats` = the factors\' EMA and `daemon` = refresh + preconditioning, in torch: what a K-FAC step costs on this CPU',
    'without fisherd, and so the bound of the K-FAC target.',
    ...(skipped ? ['', skipped] : []),
    '',
    torchTable(result),
    ...(sparse === undefined ? [] : [
      '',
      `### K-FAC with the factors every ${sparse.factors_every ?? '?'} steps (\`--factors-every ${sparse.factors_every ?? '?'}\`), in a second run`,
      '',
      ...(sparse.available
        ? [
          `kfac sends the factor sums of the sending step's batch every ${sparse.factors_every} steps (KroneckerSender(factors_every=${sparse.factors_every},`,
          'factors_from=\'sending_step\'): no sampled-label backward and no factor products on the other steps), with the daemon',
          'refreshing at every factor update; kfac-torch updates its factors on the same steps (kfac-pytorch\'s `factor_update_steps`)',
          `and refreshes every 10 steps. ${sparse.rounds} rounds × ${sparse.steps} steps, as above.`,
          '',
          torchTable(sparse),
        ]
        : [`Not run: ${sparse.reason}.`]),
    ]),
  ].join('\n');
}

/** Headings of each benchmark's section, to keep the sections of benchmarks not run this time. */
const HEADINGS: Record<BenchName, string> = {
  core: '## Core', linalg: '## Kernels', roundtrip: '## Step round trip', statistics: '## A diagonal step from statistics',
  kfac: '## K-FAC', replay: '## Trace replay', record: '## Recording overhead',
  grid: '## Table 5 grid',
  torch: '## PyTorch training step',
};

/** With `--only`, the sections of the other benchmarks from the existing file, marked as earlier results, by name. */
function keptSections(path: string, ran: readonly BenchName[]): Map<BenchName, string> {
  let previous: string;
  try {
    previous = readFileSync(path, 'utf8');
  } catch {
    return new Map();
  }
  const parts = previous.split(/\n(?=## )/);
  return new Map(BENCHES.filter((b) => !ran.includes(b)).flatMap((b): [BenchName, string][] => {
    const section = parts.find((p) => p.startsWith(HEADINGS[b]));
    if (section === undefined) return [];
    const marked = section.includes('(earlier run)') ? section : section.replace(/^(## [^\n]*)/, '$1 (earlier run)');
    return [[b, marked.trimEnd()]];
  }));
}

async function main(): Promise<void> {
  const only = (flag('only')?.split(',') ?? [...BENCHES]) as BenchName[];
  const unknown = only.filter((b) => !BENCHES.includes(b));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  const shrink = Number(flag('shrink') ?? 1);
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const out = flag('out') ?? join(root, 'bench', 'RESULTS.md');

  const sections: string[] = []; // in BENCHES order, as the runs below go
  let numpyBlas = 'not run';
  if (only.includes('core')) {
    console.error('core benchmark …');
    const core = await runCoreBench({ shrink });
    numpyBlas = core.numpy.available ? `${core.numpy.blas} (numpy ${core.numpy.version})` : `numpy missing: ${core.numpy.reason}`;
    sections.push(coreSection(core));
  }
  if (only.includes('linalg')) {
    console.error('kernel benchmark …');
    sections.push(linalgSection(await runLinalgBench({ shrink })));
  }
  if (only.includes('roundtrip')) {
    console.error('round-trip benchmark …');
    const rows = await runRoundtripBench();
    console.error('statistics round-trip benchmark …');
    sections.push(roundtripSection(rows, await runStatisticsRoundtripBench()));
  }
  if (only.includes('statistics')) {
    console.error('statistics step benchmark …');
    sections.push(statisticsSection(await runStatisticsStepBench()));
  }
  if (only.includes('kfac')) {
    console.error('K-FAC benchmark …');
    sections.push(kfacSection(await runKfacBench({ shrink })));
  }
  if (only.includes('replay')) {
    console.error('replay benchmark …');
    sections.push(replaySection(await runReplayBench()));
  }
  if (only.includes('record')) {
    console.error('recording overhead benchmark …');
    sections.push(recordSection(await runRecordOverheadBench()));
  }

  if (only.includes('grid')) {
    console.error('grid benchmark …');
    sections.push(gridSection(await runGridBench()));
  }

  if (only.includes('torch')) {
    console.error('torch training-step benchmark …');
    const all = runTorchStepBench();
    console.error('torch training-step benchmark, K-FAC with the factors every 10 steps …');
    sections.push(torchSection(all, runTorchStepBench({ args: ['--models', 'mlp', '--contenders', 'adam,kfac,kfac-torch', '--factors-every', '10'] })));
  }

  const header = [
    '# fisherd benchmark results',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString()}${shrink !== 1 ? `, **dimensions shrunk ${shrink}×** (smoke run)` : ''}.`,
    '',
    table(['machine', ''], [
      ['CPU', `${cpuModel()} (${cpus().length} cores visible to Node)`],
      ['memory', `${(totalmem() / 2 ** 30).toFixed(1)} GiB`],
      ['Node', process.version],
      ['BLAS (fisherd openblas backend)', openBlasDetail()],
      ['BLAS (numpy baseline)', numpyBlas],
      ['benchmarks run now', only.join(', ')],
    ]),
    '',
    'Wall-clock medians on a shared machine: other processes compete for the cores, so compare rows of one',
    'table (measured in the same run) rather than runs.',
  ].join('\n');
  // Every section in BENCHES order: this run's, or the file's earlier one.
  const kept = keptSections(out, only);
  const ran = BENCHES.filter((b) => only.includes(b));
  const ordered = BENCHES.flatMap((b) => (ran.includes(b) ? [sections[ran.indexOf(b)]!] : kept.has(b) ? [kept.get(b)!] : []));
  writeFileSync(out, `${header}\n\n${ordered.join('\n\n')}\n`);
  console.error(`wrote ${out}`);
}

await main();
