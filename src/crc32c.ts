/**
 * CRC-32C (Castagnoli, the iSCSI polynomial), the checksum of trace frames and session snapshots, from the
 * fastest implementation this host has:
 *
 * - `isa-l`: Intel's ISA-L (`libisal.so.2`, Debian package `libisal2`), loaded through koffi. Its
 *   `crc32_iscsi` folds with PCLMULQDQ / AVX-512 where the CPU has them: measured 33.5 GB/s on this 2-core
 *   AMD EPYC VM over a 64 MiB buffer (0.26 ms per 12.8 MB trace record).
 * - `node-rs`: @node-rs/crc32 (a prebuilt N-API addon, always installed): 6.5 GB/s here (2.4 ms per
 *   12.8 MB record), where a replay checksums every payload byte.
 *
 * `auto` (the default) takes ISA-L when it loads and passes the check value ("123456789" → 0xe3069283),
 * else node-rs; `FISHERD_CRC32C=isa-l|node-rs|auto` chooses. Both compute the same function (the tests run
 * every implementation against the check value, a bit-by-bit CRC and each other), so a trace written with
 * one verifies with the other.
 */
import { crc32c as nodeRsCrc32c } from '@node-rs/crc32';
import koffi from 'koffi';
import { FisherdError } from './errors.js';
import { log } from './log.js';

export type Crc32cName = 'isa-l' | 'node-rs';
export const CRC32C_NAMES: readonly Crc32cName[] = ['isa-l', 'node-rs'];

export interface Crc32cImplementation {
  readonly name: Crc32cName;
  /** CRC-32C of `bytes` continuing from `crc`, the CRC-32C of the bytes before them (0 for none). */
  update(bytes: Uint8Array, crc: number): number;
}

/** The shared library ISA-L ships as on Debian/Ubuntu (package libisal2). */
export const ISAL_LIBRARY = 'libisal.so.2';

/** ISA-L takes the length as a C `int`: longer inputs go in pieces of this many bytes. */
const ISAL_MAX_BYTES = 1 << 30;

const nodeRs: Crc32cImplementation = {
  name: 'node-rs',
  update: (bytes, crc) => nodeRsCrc32c(bytes, crc) >>> 0,
};

/**
 * ISA-L's `crc32_iscsi(buf, len, seed)` works on the un-inverted register: CRC-32C(data) continuing from
 * `crc` is `~crc32_iscsi(data, len, ~crc)`.
 */
function loadIsal(path: string): Crc32cImplementation {
  const lib = koffi.load(path);
  const iscsi = lib.func('uint32_t crc32_iscsi(const uint8_t *buf, int len, uint32_t init)') as
    (buf: Uint8Array, len: number, init: number) => number;
  return {
    name: 'isa-l',
    update(bytes, crc) {
      let register = ~crc >>> 0;
      for (let at = 0; at < bytes.length; at += ISAL_MAX_BYTES) {
        const piece = at === 0 && bytes.length <= ISAL_MAX_BYTES ? bytes : bytes.subarray(at, at + ISAL_MAX_BYTES);
        register = iscsi(piece, piece.length, register) >>> 0;
      }
      return ~register >>> 0;
    },
  };
}

const CHECK_INPUT = new TextEncoder().encode('123456789');
const CHECK_VALUE = 0xe3069283;

const loaded = new Map<Crc32cName, Crc32cImplementation | Error>();

/** One implementation by name, verified against the check value; throws INVALID_CONFIG with the reason when unavailable. */
export function crc32cImplementation(name: Crc32cName): Crc32cImplementation {
  let entry = loaded.get(name);
  if (entry === undefined) {
    try {
      const candidate = name === 'isa-l' ? loadIsal(ISAL_LIBRARY) : nodeRs;
      const got = candidate.update(CHECK_INPUT, 0);
      entry = got === CHECK_VALUE ? candidate
        : new Error(`${name} gives 0x${got.toString(16)} for "123456789", not 0x${CHECK_VALUE.toString(16)}`);
    } catch (e) {
      entry = new Error(`cannot load ${ISAL_LIBRARY} (on Debian/Ubuntu: apt-get install libisal2): ${e instanceof Error ? e.message : String(e)}`);
    }
    loaded.set(name, entry);
  }
  if (entry instanceof Error) throw new FisherdError('INVALID_CONFIG', `CRC-32C implementation ${name} is unavailable: ${entry.message}`, { field: 'FISHERD_CRC32C' });
  return entry;
}

/** Every implementation that works here (tests run each). */
export function availableCrc32cImplementations(): Crc32cImplementation[] {
  return CRC32C_NAMES.flatMap((name) => {
    try {
      return [crc32cImplementation(name)];
    } catch {
      return [];
    }
  });
}

let selected: Crc32cImplementation | undefined;

/** The implementation `crc32c` uses: FISHERD_CRC32C's choice, else the fastest available (logged once). */
export function selectedCrc32c(): Crc32cImplementation {
  if (selected !== undefined) return selected;
  const wanted = process.env.FISHERD_CRC32C ?? 'auto';
  if (wanted !== 'auto' && !(CRC32C_NAMES as readonly string[]).includes(wanted)) {
    throw new FisherdError('INVALID_CONFIG', `FISHERD_CRC32C must be auto, ${CRC32C_NAMES.join(' or ')}; got "${wanted}"`, { field: 'FISHERD_CRC32C' });
  }
  if (wanted !== 'auto') {
    selected = crc32cImplementation(wanted as Crc32cName);
  } else {
    try {
      selected = crc32cImplementation('isa-l');
    } catch (e) {
      log.debug({ reason: (e as Error).message }, 'CRC-32C: ISA-L unavailable, using @node-rs/crc32');
      selected = nodeRs;
    }
  }
  log.debug({ crc32c: selected.name }, 'CRC-32C implementation selected');
  return selected;
}

/** CRC-32C of `bytes`, continuing from `crc` (the CRC-32C of the bytes before them; 0 for none). */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  return selectedCrc32c().update(bytes, crc);
}
