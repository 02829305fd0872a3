/**
 * The paper's problem for each real data set: linear regression (σ² = 1) or logistic regression with the
 * paper's clipped sigmoid (c = 1e-8), on the data with its bias column.
 */
import { DATASETS, loadDataset, type Dataset, type DatasetName } from './datasets.js';
import { PAPER_PROBABILITY_CLIP } from './grid/glm-kernel.js';
import { linearRegression, logisticRegression, type Problem } from './problems/index.js';

export function paperProblem(name: DatasetName, data: Dataset = loadDataset(name)): Problem {
  const label = `${DATASETS[name].task} regression on ${name}`;
  return DATASETS[name].task === 'linear'
    ? linearRegression(data, { name: label })
    : logisticRegression(data, { name: label, probabilityClip: PAPER_PROBABILITY_CLIP });
}
