// Runs sessions through the TypeScript client (clients/ts, as built by tsc) for the cross-language test.
//
//   node ts_client_run.mjs <path of the built clients/ts/src/index.js>  < job.json  > result.json
//
// job.json: { url, sessions: [{ config, steps: [{ reduction, loss?, perExampleGrads?, sampledLabelGrads?:
// { samplesPerExample, rows }, meanGrad?, batchSize }] }] }, where every array is base64 of little-endian
// float64: this script rounds it to float32 with Float32Array.from, as a TypeScript training loop would.
// result.json: { sessions: [{ deltas: [base64 float32], diagnostics: [...], estimates: { diagonals: {kind:
// base64 float64}, meanGrad, cosineEfFisher } }] }
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const { FisherdClient } = await import(pathToFileURL(process.argv[2]).href);
const job = JSON.parse(readFileSync(0, 'utf8'));

const float32 = (b64) => {
  const bytes = Buffer.from(b64, 'base64');
  const f64 = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return Float32Array.from(f64);
};
const base64 = (typed) => Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength).toString('base64');

const results = [];
for (const session of job.sessions) {
  const client = await FisherdClient.connect(job.url, { clientName: 'cross-language test (ts)' });
  await client.openSession(session.config);
  const deltas = [];
  const diagnostics = [];
  for (const s of session.steps) {
    const update = await client.step({
      reduction: s.reduction,
      batchSize: s.batchSize,
      ...(s.loss === undefined ? {} : { loss: s.loss }),
      ...(s.perExampleGrads ? { perExampleGrads: float32(s.perExampleGrads) } : {}),
      ...(s.meanGrad ? { meanGrad: float32(s.meanGrad) } : {}),
      ...(s.sampledLabelGrads
        ? { sampledLabelGrads: { samplesPerExample: s.sampledLabelGrads.samplesPerExample, rows: float32(s.sampledLabelGrads.rows) } }
        : {}),
    });
    deltas.push(base64(update.delta));
    diagnostics.push(update.diagnostics);
  }
  const e = await client.estimates({ includeDiagonals: true, topK: 3 });
  results.push({
    deltas,
    diagnostics,
    estimates: {
      diagonals: Object.fromEntries(e.estimates.map((x) => [x.kind, base64(x.diagonal)])),
      topEigenvalues: Object.fromEntries(e.estimates.map((x) => [x.kind, x.topEigenvalues])),
      meanGrad: e.meanGrad ? base64(e.meanGrad) : null,
      cosineEfFisher: e.cosineEfFisher ?? null,
    },
  });
  await client.close();
}
process.stdout.write(JSON.stringify({ sessions: results }));
