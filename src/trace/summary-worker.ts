/**
 * A replay worker thread (started by `SummaryPool`): warms its `FrameSummarizer` up (buffers grown to the
 * expected frame, kernels compiled), says it is ready (a shared counter, and a message), then summarizes
 * each frame it is sent on its own backend instance and sends the reply (the summary buffer transferred).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../linalg/select.js';
import { log } from '../log.js';
import { FrameSummarizer } from './frame-summarizer.js';
import type { SummaryJob } from './frame-summarizer.js';
import type { SummaryWorkerData, WorkerReady } from './summary-pool.js';

const port = parentPort;
if (port === null) throw new Error('summary-worker.js runs as a worker thread (SummaryPool starts it)');
const { config, backend: backendName, rowsOffsetInFrame, frameBytes, ready } = workerData as SummaryWorkerData;
const logger = log.child({ component: 'replay-worker' }, { level: 'warn' });
const summarizer = new FrameSummarizer(config, await selectBackend(backendName, logger), logger, rowsOffsetInFrame);
summarizer.warmUp(frameBytes);
Atomics.add(new Int32Array(ready), 0, 1);
port.postMessage({ kind: 'ready' } satisfies WorkerReady);

port.on('message', (job: SummaryJob) => {
  const reply = summarizer.summarize(job);
  port.postMessage(reply, reply.summary ? [reply.summary] : []);
});
