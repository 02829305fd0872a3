/**
 * EKFAC over the wire (a real daemon process, the TypeScript client): the client asks for a Kronecker
 * block's installed eigenbasis after each refresh (EstimatesRequest.kronecker_basis), projects its
 * per-example sampled-label gradients on it (`eigenbasisSquaresFromPairs`) and sends the squares with the
 * factors; the daemon's updates equal an in-process session's fed the same pairs projected on its own
 * float64 basis (tolerance: the factors and squares travel as float32 statistics and the basis as float32,
 * ~1e-7 relative each; 1e-4 of the largest entry asserted), and differ from plain K-FAC's once the squares
 * are used (so the correction is really applied). The basis itself: the in-process session's to the float32
 * rounding of the factors (eigenvalues 1e-6 relative, vector entries 1e-5). Bad requests and stale bases: typed errors
 * naming the field, the session unchanged.
 */
import { describe, expect, it } from 'vitest';
import { FisherdClient, FisherdClientError, eigenbasisSquaresFromPairs, kroneckerStatisticsFromPairs, type KroneckerBasisData } from '../../clients/ts/src/index.js';
import { selectBackend } from '../../src/linalg/select.js';
import type { SessionConfig } from '../../src/session/config.js';
import { Session, type KroneckerBasisReport } from '../../src/session/index.js';
import type { KroneckerStatistics } from '../../src/session/kronecker-statistics.js';
import { startDaemon, stream } from './daemon-harness.js';


const OUT = 4;
const IN = 3;
const K = 2;
const B = 5;

const config = (eigenvalueCorrected: boolean): SessionConfig => ({
  dim: OUT * (IN + 1),
  blocks: [{ name: 'fc', size: OUT * (IN + 1), structure: { kind: 'kronecker', outputs: OUT, inputs: IN, bias: true, eigenvalueCorrected, refreshEvery: 2 } }],
  optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 },
  emaDecay: 0.9,
});

interface Pairs { activations: Float64Array; outputGrads: Float64Array; sampled: Float64Array }

function pairs(step: number): Pairs {
  const r = stream(1000 + step);
  const fill = (n: number) => Float64Array.from({ length: n }, r);
  return { activations: fill(B * IN), outputGrads: fill(B * OUT), sampled: fill(B * K * OUT) };
}

function statistics(p: Pairs, basis: KroneckerBasisData | KroneckerBasisReport | undefined): KroneckerStatistics {
  const s = kroneckerStatisticsFromPairs({
    outputs: OUT, inputs: IN, bias: true, count: B, activations: p.activations, outputGrads: p.outputGrads,
    sampled: { outputGrads: p.sampled, samplesPerExample: K },
  });
  if (basis === undefined || basis.version === 0) return s;
  const eigenbasisSquares = eigenbasisSquaresFromPairs({
    basis, inputs: IN, bias: true, count: B, activations: p.activations, outputGrads: p.sampled, rowsPerExample: K,
  });
  return { ...s, factors: { ...s.factors!, eigenbasisSquares } };
}

const maxAbs = (v: ArrayLike<number>) => Array.from(v).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

describe('fisherd daemon: EKFAC with the eigenbasis fetched by the client', () => {
  it('the daemon\'s EKFAC updates are the in-process session\'s; the basis is the installed one; stale bases are refused', async () => {
    const daemon = await startDaemon([]);
    const backend = await selectBackend('reference'); // the harness starts the daemon with --backend reference
    try {
      const client = await FisherdClient.connect(daemon.url, { reconnect: false });
      await client.openSession(config(true));
      const local = new Session(config(true), backend);
      const kfac = new Session(config(false), backend);
      // before the first factor update: no basis (version 0, empty)
      const [none] = await client.kroneckerBases('fc');
      expect(none).toMatchObject({ kind: 'fisher', block: 'fc', version: 0, outputs: OUT, inputOrder: IN + 1 });
      expect(none!.inputVectors.length).toBe(0);

      let remote: KroneckerBasisData | undefined;
      let mine: KroneckerBasisReport | undefined;
      let corrected = 0;
      const versions: number[] = [];
      for (let step = 1; step <= 8; step++) {
        const p = pairs(step);
        const u = await client.step({ batchSize: B, reduction: 'sum', statistics: [{ block: 'fc', kind: 'kronecker', kronecker: statistics(p, remote) }] });
        const l = local.step([{ step, workerId: 0, batchSize: B, reduction: 'sum', statistics: [{ block: 'fc', kind: 'kronecker', kronecker: statistics(p, mine) }] }]);
        const k = kfac.step([{ step, workerId: 0, batchSize: B, reduction: 'sum', statistics: [{ block: 'fc', kind: 'kronecker', kronecker: statistics(p, undefined) }] }]);
        expect(maxDiff(u.delta, l.update)).toBeLessThanOrEqual(1e-4 * maxAbs(l.update));
        if (maxDiff(l.update, k.update) > 1e-2 * maxAbs(k.update)) corrected++;
        const version = u.diagnostics.values['layer.fc.basisVersion']!;
        versions.push(version);
        if (version !== remote?.version) {
          [remote] = await client.kroneckerBases('fc');
          [mine] = local.kroneckerBases('fc');
          expect(remote!.version).toBe(version);
          expect(mine!.version).toBe(version);
          // (the factors crossed the wire as float32 statistics: the daemon decomposed their float32 rounding)
          expect(maxDiff(remote!.inputValues, mine!.inputValues)).toBeLessThan(1e-6 * maxAbs(mine!.inputValues));
          expect(maxDiff(remote!.outputValues, mine!.outputValues)).toBeLessThan(1e-6 * maxAbs(mine!.outputValues));
          expect(maxDiff(remote!.inputVectors, mine!.inputVectors)).toBeLessThan(1e-5);
          expect(maxDiff(remote!.outputVectors, mine!.outputVectors)).toBeLessThan(1e-5);
        }
      }
      // refreshEvery 2: new bases after factor updates 1, 3, 5, 7
      expect(versions).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
      // the eigenbasis squares moved the update away from plain K-FAC's (on the steps between refreshes)
      expect(corrected).toBeGreaterThanOrEqual(3);

      // squares of a basis that is no longer installed: refused, naming the field; the session unchanged
      const stale = { ...remote!, version: remote!.version - 1 };
      const p = pairs(9);
      const refused = await client.step({ batchSize: B, reduction: 'sum', statistics: [{ block: 'fc', kind: 'kronecker', kronecker: statistics(p, stale) }] })
        .then(() => undefined, (e: unknown) => e);
      expect(refused).toBeInstanceOf(FisherdClientError);
      expect((refused as FisherdClientError).code).toBe('INVALID_CONFIG');
      expect((refused as FisherdClientError).field).toMatch(/eigenbasisSquares\.basisVersion$/);
      const u = await client.step({ batchSize: B, reduction: 'sum', statistics: [{ block: 'fc', kind: 'kronecker', kronecker: statistics(p, remote) }] });
      const l = local.step([{ step: 9, workerId: 0, batchSize: B, reduction: 'sum', statistics: [{ block: 'fc', kind: 'kronecker', kronecker: statistics(p, mine) }] }]);
      expect(u.step).toBe(9);
      expect(maxDiff(u.delta, l.update)).toBeLessThanOrEqual(1e-4 * maxAbs(l.update));

      // requests for blocks without an eigenbasis
      const unknown = await client.kroneckerBases('nope').then(() => undefined, (e: unknown) => e);
      expect((unknown as FisherdClientError).code).toBe('UNKNOWN_BLOCK');
      expect((unknown as FisherdClientError).field).toBe('estimatesRequest.kroneckerBasis');
      await client.close();

      const diagonal = await FisherdClient.connect(daemon.url, { reconnect: false });
      await diagonal.openSession({ dim: 6, blocks: [{ name: 'w', size: 6, structure: { kind: 'diagonal' } }], optimizer: { name: 'ngd', stepSize: 0.1 } });
      const notKronecker = await diagonal.kroneckerBases('w').then(() => undefined, (e: unknown) => e);
      expect((notKronecker as FisherdClientError).code).toBe('INVALID_CONFIG');
      await diagonal.close();
    } finally {
      backend.dispose();
      expect(await daemon.kill('SIGTERM')).toBe(0);
    }
  }, 120_000);
});
