/**
 * The hyperparameters the paper's grid search selected (its Table 6, log10 values), to set beside
 * fisherd's own selection. Reference data from the paper, not results: fisherd recomputes the final
 * loss at each of these points.
 */
import type { DatasetName } from './datasets.js';
import type { GridOptimizer } from './grid/run.js';

export interface PaperSelection {
  log10StepSize: number;
  /** null for GD. */
  log10Damping: number | null;
}

export const PAPER_TABLE6: Readonly<Partial<Record<DatasetName, Readonly<Record<GridOptimizer, PaperSelection>>>>> = {
  Boston: { gd: { log10StepSize: -5.25, log10Damping: null }, ngd: { log10StepSize: 0.125, log10Damping: -10 }, efgd: { log10StepSize: -1.25, log10Damping: -8 } },
  BreastCancer: { gd: { log10StepSize: -5.125, log10Damping: null }, ngd: { log10StepSize: 0.125, log10Damping: -10 }, efgd: { log10StepSize: -1.25, log10Damping: -10 } },
  a1a: { gd: { log10StepSize: 0.25, log10Damping: null }, ngd: { log10StepSize: 0.25, log10Damping: -10 }, efgd: { log10StepSize: -0.375, log10Damping: -8 } },
  Wine: { gd: { log10StepSize: -5.625, log10Damping: null }, ngd: { log10StepSize: 0, log10Damping: -8.5 }, efgd: { log10StepSize: -1.375, log10Damping: -6 } },
  Energy: { gd: { log10StepSize: -5.5, log10Damping: null }, ngd: { log10StepSize: 0, log10Damping: -7.5 }, efgd: { log10StepSize: 0.875, log10Damping: -3 } },
  Powerplant: { gd: { log10StepSize: -5.75, log10Damping: null }, ngd: { log10StepSize: -0.625, log10Damping: -8 }, efgd: { log10StepSize: 3.375, log10Damping: -1 } },
  Yacht: { gd: { log10StepSize: -1.5, log10Damping: null }, ngd: { log10StepSize: -0.75, log10Damping: -7.5 }, efgd: { log10StepSize: 1.625, log10Damping: -6.5 } },
};
