/**
 * The whole PyTorch training step through fisherd's Preconditioner against torch Adam in the same process
 * (issue 14's benchmark): runs bench/torch_step.py under Debian's /usr/bin/python3 (torch 1.13), which starts
 * the daemon from dist/ and prints one JSON object; this module turns it into bench/RESULTS.md's section.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TORCH_PHASES = ['fwd+bwd', 'sample', 'stats', 'encode', 'round trip', 'daemon', 'transport', 'decode', 'apply'] as const;

export interface TorchStepRow {
  contender: string;
  /** Median wall time of the whole step, and its 10th/90th percentiles, ms. */
  ms: number;
  p10: number;
  p90: number;
  /** Mean wall time of the whole step, ms: it counts the steps that send or update the factors (`--factors-every`). */
  'mean ms': number;
  /** Median per phase, ms (null where the contender has no such phase). */
  [phase: string]: number | string | null;
}

export interface TorchStepResult {
  available: boolean;
  reason?: string;
  torch?: string;
  python?: string;
  threads?: number;
  batch_size?: number;
  rounds?: number;
  steps?: number;
  /** K-FAC's T_stat (`--factors-every`): kfac sends the factor sums, kfac-torch updates its factors, every this many steps. */
  factors_every?: number;
  websockets_speedups?: boolean;
  /** What the client's frames were masked with: 'C speedups', 'numpy' (the client's, where websockets has no C speedups) or 'pure Python'. */
  masking?: string;
  backend?: string;
  models?: { model: string; dim: number; rows: TorchStepRow[] }[];
  skipped?: Record<string, string>;
}

export interface TorchStepOptions {
  /** Python with torch. Default /usr/bin/python3 (Debian's python3-torch). */
  python?: string;
  /** Extra arguments for torch_step.py (e.g. ['--rounds', '2']). Default none. */
  args?: string[];
}

function findScript(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    for (const candidate of [join(dir, 'bench', 'torch_step.py'), join(dir, 'torch_step.py')]) if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

export function runTorchStepBench(options: TorchStepOptions = {}): TorchStepResult {
  const python = options.python ?? '/usr/bin/python3';
  const script = findScript();
  if (script === undefined) return { available: false, reason: 'bench/torch_step.py not found' };
  if (!existsSync(python)) return { available: false, reason: `${python} not found (needs Debian's python3-torch)` };
  const child = spawnSync(python, [script, ...(options.args ?? [])], { encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) return { available: false, reason: `torch_step.py exited with ${child.status}` };
  return { available: true, ...(JSON.parse(child.stdout) as Omit<TorchStepResult, 'available'>) };
}
