/**
 * Backend selection, in the manner of TensorFlow.js's engine: try the backends in priority order and keep
 * the first that really initializes and passes a tiny self-check (`self-check.ts`); say in the log why each
 * faster one was skipped.
 *
 * Priority for 'auto': openblas (native BLAS/LAPACK, ~100 GFLOP/s here) > gpujs (its best working mode) >
 * reference (float64 loops; always works, the last resort).
 *
 * Environment: `FISHERD_BACKEND` (one of `auto | reference | openblas | gpujs`) replaces the preference
 * when the caller asks for 'auto' (the default), so an operator can pin a backend without a code change;
 * an explicit preference passed by the caller (e.g. a CLI flag) wins over the environment.
 */
import { FisherdError } from '../errors.js';
import { log as defaultLog, type Logger } from '../log.js';
import type { Backend, BackendName, DType } from './backend.js';
import { createOpenBlasBackend } from './openblas.js';
import { createReferenceBackend } from './reference.js';
import { selfCheck } from './self-check.js';

export type BackendPreference = BackendName | 'auto';

/** Backends in the order 'auto' tries them. */
export const AUTO_PRIORITY: readonly BackendName[] = ['openblas', 'gpujs', 'reference'];

const FACTORIES: Record<BackendName, () => Promise<Backend>> = {
  reference: async () => createReferenceBackend(),
  openblas: async () => createOpenBlasBackend(),
  // Imported on first use: gpu.js takes ~100 ms to load, paid by every process and replay worker thread
  // that never runs it otherwise.
  gpujs: async () => (await import('./gpujs.js')).createGpuJsBackend(),
};

const BACKEND_NAMES: readonly string[] = ['reference', 'openblas', 'gpujs'];

/** The preference after the `FISHERD_BACKEND` override; throws INVALID_CONFIG for an unknown name. */
export function resolvePreference(preference: BackendPreference, env: NodeJS.ProcessEnv = process.env): BackendPreference {
  const fromEnv = env['FISHERD_BACKEND']?.trim();
  const chosen = preference === 'auto' && fromEnv ? fromEnv : preference;
  if (chosen !== 'auto' && !BACKEND_NAMES.includes(chosen)) {
    throw new FisherdError(
      'INVALID_CONFIG',
      `unknown backend "${chosen}" (FISHERD_BACKEND or backend option); expected auto, ${BACKEND_NAMES.join(', ')}`,
      { field: 'backend' },
    );
  }
  return chosen as BackendPreference;
}

/**
 * Creates one named backend and runs its self-check. Throws `FisherdError('INVALID_CONFIG')` (field
 * "backend") when it cannot be created or fails the check, with the reason as the message and cause.
 */
export async function createBackend(name: BackendName): Promise<Backend> {
  let backend: Backend;
  try {
    backend = await FACTORIES[name]();
  } catch (e) {
    throw new FisherdError('INVALID_CONFIG', `backend "${name}" is unavailable: ${e instanceof Error ? e.message : String(e)}`, {
      field: 'backend',
      cause: e,
    });
  }
  const failure = selfCheck(backend);
  if (failure !== undefined) {
    backend.dispose();
    throw new FisherdError('INVALID_CONFIG', `backend "${name}" (${backend.detail}) failed its self-check: ${failure}`, {
      field: 'backend',
    });
  }
  return backend;
}

/**
 * The backend to compute with. 'auto' (default) picks the first of `AUTO_PRIORITY` that initializes and
 * passes the self-check; a named preference must work or this throws.
 */
export async function selectBackend(preference: BackendPreference = 'auto', logger: Logger = defaultLog): Promise<Backend> {
  const resolved = resolvePreference(preference);
  if (resolved !== 'auto') {
    const backend = await createBackend(resolved);
    logger.info({ backend: backend.name, detail: backend.detail, requested: resolved }, 'linalg backend selected');
    return backend;
  }
  const skipped: Record<string, string> = {};
  for (const name of AUTO_PRIORITY) {
    try {
      const backend = await createBackend(name);
      logger.info({ backend: backend.name, detail: backend.detail, skipped }, 'linalg backend selected');
      return backend;
    } catch (e) {
      skipped[name] = e instanceof Error ? e.message : String(e);
      logger.warn({ backend: name, reason: skipped[name] }, 'linalg backend skipped');
    }
  }
  // Unreachable while `reference` is in the list: it has no dependencies.
  throw new FisherdError('INTERNAL', `no linalg backend initializes: ${JSON.stringify(skipped)}`);
}

/** The storage types each backend offers; the first is its default. */
export const BACKEND_DTYPES: Readonly<Record<BackendName, readonly DType[]>> = {
  openblas: ['float32', 'float64'],
  gpujs: ['float32'],
  reference: ['float64'],
};

/**
 * A backend of storage type `dtype` (undefined: the backend's default, i.e. `selectBackend`). 'auto' tries
 * `AUTO_PRIORITY` among the backends that offer `dtype`; a named backend that does not offer it throws
 * INVALID_CONFIG (field "precision"). openblas with 'float64' is `createOpenBlasBackend({ dtype: 'float64' })`.
 */
export async function selectBackendWithPrecision(preference: BackendPreference, dtype: DType | undefined, logger: Logger = defaultLog): Promise<Backend> {
  if (dtype === undefined) return selectBackend(preference, logger);
  const resolved = resolvePreference(preference);
  const candidates = resolved === 'auto' ? AUTO_PRIORITY.filter((n) => BACKEND_DTYPES[n].includes(dtype)) : [resolved];
  const skipped: Record<string, string> = {};
  for (const name of candidates) {
    if (!BACKEND_DTYPES[name].includes(dtype)) {
      throw new FisherdError('INVALID_CONFIG', `precision ${dtype} is not available on the ${name} backend (it stores ${BACKEND_DTYPES[name].join(' or ')})`, {
        field: 'precision',
      });
    }
    try {
      const backend = name === 'openblas' && dtype === 'float64' ? await createOpenBlasFloat64() : await createBackend(name);
      logger.info({ backend: backend.name, dtype: backend.dtype, detail: backend.detail, skipped }, 'linalg backend selected');
      return backend;
    } catch (e) {
      if (resolved !== 'auto') throw e;
      skipped[name] = e instanceof Error ? e.message : String(e);
      logger.warn({ backend: name, dtype, reason: skipped[name] }, 'linalg backend skipped');
    }
  }
  throw new FisherdError('INVALID_CONFIG', `no backend with ${dtype} storage initializes: ${JSON.stringify(skipped)}`, { field: 'precision' });
}

/** openblas with float64 storage, self-checked like `createBackend`. */
async function createOpenBlasFloat64(): Promise<Backend> {
  let backend: Backend;
  try {
    backend = createOpenBlasBackend({ dtype: 'float64' });
  } catch (e) {
    throw new FisherdError('INVALID_CONFIG', `backend "openblas" (float64) is unavailable: ${e instanceof Error ? e.message : String(e)}`, {
      field: 'backend',
      cause: e,
    });
  }
  const failure = selfCheck(backend);
  if (failure !== undefined) {
    backend.dispose();
    throw new FisherdError('INVALID_CONFIG', `backend "openblas" (${backend.detail}) failed its self-check: ${failure}`, { field: 'backend' });
  }
  return backend;
}

/** Every backend that initializes and passes its self-check here, for the backend spec suite and benchmarks. */
export async function allBackends(logger: Logger = defaultLog): Promise<Backend[]> {
  const backends: Backend[] = [];
  for (const name of ['reference', 'openblas', 'gpujs'] as const) {
    try {
      backends.push(await createBackend(name));
    } catch (e) {
      logger.info({ backend: name, reason: e instanceof Error ? e.message : String(e) }, 'linalg backend unavailable');
    }
  }
  return backends;
}
