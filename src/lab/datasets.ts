/**
 * The paper's real data sets (shipped in the repository's `data/`, provenance in `data/README.md`),
 * loaded with the paper's preprocessing (Appendix D; the authors' `eftk/datasets.py` and
 * `experiments/optim/runner.py`):
 *
 * - raw features, **no scaling or centering**, no train/test split (all N examples train);
 * - a column of ones **appended last** (the bias is the last parameter), so D = features + 1;
 * - targets: a1a's ±1 labels as (y + 1)/2 ∈ {0, 1} (already so in `a1a.csv`), Wine's class index
 *   0/1/2 as a real-valued regression target, the UCI target for the other regression sets.
 *
 * `BreastCancer` is scikit-learn's `load_breast_cancer()` (569 × 30), what the paper's code loads and
 * what produced its figures; `BreastCancerLibsvm` is the 683 × 10 set its Table 4 names, for comparison.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FisherdError } from '../errors.js';
import type { Examples } from './problems/problem.js';

/** Which model the paper fits to a data set. */
export type Task = 'linear' | 'logistic';

export interface DatasetInfo {
  /** The name used on the command line and in the paper's figures. */
  readonly name: DatasetName;
  /** Folder under `data/`. */
  readonly folder: string;
  /** The normalized CSV inside the folder. */
  readonly file: string;
  readonly task: Task;
  /** The paper figure that shows it. */
  readonly figure: 'Fig. 3' | 'Fig. 5' | 'comparison only';
}

export const DATASET_NAMES = ['a1a', 'BreastCancer', 'Boston', 'Wine', 'Yacht', 'Powerplant', 'Energy', 'BreastCancerLibsvm'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** The data sets, in the paper's order (Fig. 3, then Fig. 5), then the comparison-only variant. */
export const DATASETS: Readonly<Record<DatasetName, DatasetInfo>> = {
  a1a: { name: 'a1a', folder: 'a1a', file: 'a1a.csv', task: 'logistic', figure: 'Fig. 3' },
  BreastCancer: { name: 'BreastCancer', folder: 'breast-cancer-sklearn', file: 'breast-cancer-sklearn.csv', task: 'logistic', figure: 'Fig. 3' },
  Boston: { name: 'Boston', folder: 'boston', file: 'boston.csv', task: 'linear', figure: 'Fig. 3' },
  Wine: { name: 'Wine', folder: 'wine', file: 'wine.csv', task: 'linear', figure: 'Fig. 5' },
  Yacht: { name: 'Yacht', folder: 'yacht', file: 'yacht.csv', task: 'linear', figure: 'Fig. 5' },
  Powerplant: { name: 'Powerplant', folder: 'powerplant', file: 'powerplant.csv', task: 'linear', figure: 'Fig. 5' },
  Energy: { name: 'Energy', folder: 'energy', file: 'energy.csv', task: 'linear', figure: 'Fig. 5' },
  BreastCancerLibsvm: { name: 'BreastCancerLibsvm', folder: 'breast-cancer', file: 'breast-cancer.csv', task: 'logistic', figure: 'comparison only' },
};

/** The data sets of the paper's Fig. 3 and Fig. 5 (the seven of its Table 4). */
export const PAPER_DATASETS: readonly DatasetName[] = ['a1a', 'BreastCancer', 'Boston', 'Wine', 'Yacht', 'Powerplant', 'Energy'];

export interface Dataset extends Examples {
  readonly info: DatasetInfo;
  /** Column names of X: the CSV's feature names, then "bias". */
  readonly featureNames: readonly string[];
}

/**
 * The folder holding the data sets: `$FISHERD_LAB_DATA_DIR` when set, else the first `data/` with a
 * README.md found walking up from this module (works from `src/` under vitest and from `dist/src/`).
 */
export function dataRoot(): string {
  const fromEnv = process.env['FISHERD_LAB_DATA_DIR'];
  if (fromEnv) return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'data');
    if (existsSync(join(candidate, 'README.md')) && existsSync(join(candidate, 'a1a'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new FisherdError('MISSING_INPUT', 'cannot find the data/ folder; set FISHERD_LAB_DATA_DIR', { field: 'FISHERD_LAB_DATA_DIR' });
    dir = parent;
  }
}

export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/** Loads a data set with the paper's preprocessing (bias column appended last, nothing scaled). */
export function loadDataset(name: DatasetName, root: string = dataRoot()): Dataset {
  const info = DATASETS[name];
  if (info === undefined) throw new FisherdError('INVALID_CONFIG', `unknown data set "${String(name)}"; known: ${DATASET_NAMES.join(', ')}`, { field: 'dataset' });
  const { header, rows } = parseCsv(readFileSync(join(root, info.folder, info.file), 'utf8'));
  if (header[header.length - 1] !== 'y') {
    throw new FisherdError('SHAPE_MISMATCH', `${info.file}: the last column must be "y"`, { field: 'dataset' });
  }
  return withBias(info, header.slice(0, -1), rows);
}

/** Builds a Dataset from feature rows whose last entry is the target, appending the bias column. */
export function withBias(info: DatasetInfo, featureNames: readonly string[], rows: readonly (readonly number[])[]): Dataset {
  const numRaw = featureNames.length;
  const N = rows.length;
  const d = numRaw + 1;
  const X = new Float64Array(N * d);
  const y = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    const row = rows[n];
    if (row.length !== numRaw + 1) throw new FisherdError('SHAPE_MISMATCH', `${info.file}: row ${n + 1} has ${row.length} values, expected ${numRaw + 1}`, { field: 'dataset' });
    for (let j = 0; j < numRaw; j++) X[n * d + j] = row[j];
    X[n * d + numRaw] = 1; // bias column, last (eftk's add_bias)
    y[n] = row[numRaw];
  }
  return { info, featureNames: [...featureNames, 'bias'], X, y, numExamples: N, numFeatures: d };
}

/** A comma-separated file with one header line; every other non-empty line all numbers. */
export function parseCsv(text: string): { header: string[]; rows: number[][] } {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0].split(',').map((s) => s.trim());
  const rows = lines.slice(1).map((line, i) => line.split(',').map((token) => {
    const value = Number(token);
    if (token.trim() === '' || !Number.isFinite(value)) throw new FisherdError('NON_FINITE', `line ${i + 2}: "${token}" is not a number`, { field: 'dataset' });
    return value;
  }));
  return { header, rows };
}
