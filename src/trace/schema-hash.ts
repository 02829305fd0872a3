/**
 * The schema hash a trace header carries: sha256 of the message descriptors of proto/fisherd.proto and
 * proto/trace.proto as protobufjs parses them (comments and whitespace excluded, keys sorted), so that
 * editing a comment does not change it but renaming, renumbering or retyping a field does.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** The schema files a trace depends on, relative to the package root. */
export const TRACE_SCHEMA_FILES = ['proto/fisherd.proto', 'proto/trace.proto'] as const;

/** fisherd's package root (holds package.json and proto/), from src/ or dist/src/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'fisherd') return dir;
    dir = dirname(dir);
  }
  throw new Error('fisherd package root not found above src/trace/schema-hash');
}

/** sha256 of the canonical JSON of the descriptors in `files` (absolute paths). */
export function schemaHashOf(files: readonly string[]): string {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => (origin ? join(dirname(origin), target) : target);
  root.loadSync([...files], { keepCase: true });
  root.resolveAll();
  return `sha256:${createHash('sha256').update(canonicalJson(root.toJSON())).digest('hex')}`;
}

let cached: string | undefined;

/** The schema hash of this fisherd build (computed once). */
export function schemaHash(): string {
  cached ??= schemaHashOf(TRACE_SCHEMA_FILES.map((f) => join(packageRoot(), f)));
  return cached;
}

/** JSON with object keys sorted at every level: the same descriptors always give the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
