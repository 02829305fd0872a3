/**
 * Worker-thread entry of the grid search: receives its setup once (workerData), then chunks of runs,
 * and answers each chunk with its results.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createWorkerState, processChunk, type Chunk, type WorkerSetup } from './chunk.js';

const port = parentPort;
if (port === null) throw new Error('grid-worker.js must run in a worker thread');
const state = await createWorkerState(workerData as WorkerSetup);
port.on('message', (chunk: Chunk) => {
  port.postMessage(processChunk(state, chunk));
});
port.postMessage('ready');
