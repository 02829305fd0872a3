import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS, dataRoot, loadDataset, PAPER_DATASETS, type DatasetName } from '../../src/lab/datasets.js';

const root = dataRoot();
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** X (without bias) and y re-derived from a data set's original file(s), as the paper's loaders read them. */
function fromOriginal(name: DatasetName): { X: number[][]; y: number[] } {
  const lines = (text: string): string[] => text.split(/\r?\n/).filter((l) => l.trim() !== '');
  switch (name) {
    case 'a1a': {
      // sklearn.load_svmlight_file: 1-based indices, as many columns as the largest index present.
      const rows = lines(read('a1a/a1a.libsvm')).map((l) => l.trim().split(/\s+/));
      const width = Math.max(...rows.flatMap((r) => r.slice(1).map((t) => Number(t.split(':')[0]))));
      return {
        X: rows.map((r) => {
          const x = new Array<number>(width).fill(0);
          for (const t of r.slice(1)) {
            const [i, v] = t.split(':');
            x[Number(i) - 1] = Number(v);
          }
          return x;
        }),
        y: rows.map((r) => (Number(r[0]) + 1) / 2),
      };
    }
    case 'BreastCancer':
    case 'Boston':
    case 'Wine': {
      const file = { BreastCancer: 'breast-cancer-sklearn/breast_cancer.csv', Boston: 'boston/boston_house_prices.csv', Wine: 'wine/wine_data.csv' }[name];
      const body = lines(read(file)).slice(name === 'Boston' ? 2 : 1).map((l) => l.split(',').map(Number));
      return { X: body.map((r) => r.slice(0, -1)), y: body.map((r) => r[r.length - 1]) };
    }
    case 'Yacht':
    case 'Powerplant':
    case 'Energy': {
      const folder = DATASETS[name].folder;
      const data = lines(read(`${folder}/data.txt`)).map((l) => l.trim().split(/\s+/).map(Number));
      const features = lines(read(`${folder}/index_features.txt`)).flatMap((l) => l.trim().split(/\s+/).map(Number));
      const target = Number(read(`${folder}/index_target.txt`).trim());
      return { X: data.map((r) => features.map((j) => r[j])), y: data.map((r) => r[target]) };
    }
    case 'BreastCancerLibsvm': {
      const rows = lines(read('breast-cancer/breast-cancer_scale')).map((l) => l.trim().split(/\s+/));
      return {
        X: rows.map((r) => {
          const x = new Array<number>(10).fill(0);
          for (const t of r.slice(1)) x[Number(t.split(':')[0]) - 1] = Number(t.split(':')[1]);
          return x;
        }),
        y: rows.map((r) => (Number(r[0]) + 1) / 2),
      };
    }
  }
}

const SHAPES: Record<DatasetName, [number, number]> = {
  a1a: [1605, 120], BreastCancer: [569, 31], Boston: [506, 14], Wine: [178, 14], Yacht: [308, 7], Powerplant: [9568, 5], Energy: [768, 9], BreastCancerLibsvm: [683, 11],
};

describe('loadDataset (the paper\'s preprocessing)', () => {
  for (const name of [...PAPER_DATASETS, 'BreastCancerLibsvm'] as DatasetName[]) {
    it(`${name}: N × D with the bias column last, equal to the original file`, () => {
      const data = loadDataset(name);
      const [N, D] = SHAPES[name];
      expect([data.numExamples, data.numFeatures]).toEqual([N, D]);
      expect(data.featureNames[D - 1]).toBe('bias');
      const original = fromOriginal(name);
      expect(original.X.length).toBe(N);
      // Exact equality, value by value (collected, so that a failure names the first mismatch).
      const mismatches: string[] = [];
      for (let n = 0; n < N; n++) {
        if (data.X[n * D + D - 1] !== 1) mismatches.push(`row ${n}: bias ${data.X[n * D + D - 1]}`);
        if (data.y[n] !== original.y[n]) mismatches.push(`row ${n}: y ${data.y[n]} vs ${original.y[n]}`);
        for (let j = 0; j < D - 1; j++) {
          if (data.X[n * D + j] !== original.X[n][j]) mismatches.push(`row ${n} column ${j}: ${data.X[n * D + j]} vs ${original.X[n][j]}`);
        }
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
    });
  }

  it('keeps targets as the paper uses them: 0/1 labels, Wine\'s class index as a real target', () => {
    expect(new Set(loadDataset('a1a').y)).toEqual(new Set([0, 1]));
    expect(new Set(loadDataset('BreastCancer').y)).toEqual(new Set([0, 1]));
    expect(new Set(loadDataset('Wine').y)).toEqual(new Set([0, 1, 2]));
    expect(DATASETS.Wine.task).toBe('linear');
  });
});
