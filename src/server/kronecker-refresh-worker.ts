/**
 * A Kronecker refresh thread (started by `KroneckerRefreshPool`): decomposes each job it is sent on a
 * backend instance of the job's kind (selected once per kind), with a π-damping job's damped inverses,
 * and sends the decomposition back, its arrays transferred.
 */
import { parentPort } from 'node:worker_threads';
import { decomposeKroneckerFactors } from '../curvature/kronecker-decomposition.js';
import type { Backend } from '../linalg/backend.js';
import { selectBackend, type BackendPreference } from '../linalg/select.js';
import { log } from '../log.js';
import type { RefreshReply, RefreshRequest } from './kronecker-refresh.js';

const port = parentPort;
if (port === null) throw new Error('kronecker-refresh-worker.js runs as a worker thread (KroneckerRefreshPool starts it)');
const logger = log.child({ component: 'kronecker-refresh' }, { level: 'warn' });
const backends = new Map<string, Promise<Backend>>();

port.on('message', (request: RefreshRequest) => {
  void (async () => {
    let reply: RefreshReply;
    const transfer: ArrayBuffer[] = [];
    try {
      let backend = backends.get(request.backend);
      if (backend === undefined) {
        backend = selectBackend(request.backend as BackendPreference, logger);
        backends.set(request.backend, backend);
      }
      const decomposition = decomposeKroneckerFactors(request.job, await backend);
      const inverses = decomposition.dampedInverses;
      for (const a of [decomposition.inputValues, decomposition.inputVectors, decomposition.outputValues, decomposition.outputVectors,
        inverses?.outputScale, inverses?.inputScale, inverses?.outputInverse, inverses?.inputInverse,
        decomposition.vectors32?.output, decomposition.vectors32?.input, inverses?.inverses32?.output, inverses?.inverses32?.input,
        decomposition.inverseOnly?.inputFactor, decomposition.inverseOnly?.outputGradFactor]) {
        if (a !== undefined && !transfer.includes(a.buffer as ArrayBuffer)) transfer.push(a.buffer as ArrayBuffer);
      }
      reply = { id: request.id, kind: 'done', decomposition };
    } catch (e) {
      reply = { id: request.id, kind: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply, transfer);
  })();
});
