import { describe, expect, it } from 'vitest';
import { availableCrc32cImplementations, CRC32C_NAMES, crc32cImplementation, selectedCrc32c } from '../src/crc32c.js';

/** The bitwise definition (reflected Castagnoli polynomial 0x82F63B78): the oracle. */
function bitwiseCrc32c(bytes: Uint8Array, crc = 0): number {
  crc = ~crc >>> 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

const implementations = availableCrc32cImplementations();

describe('CRC-32C implementations', () => {
  it('has ISA-L here when CI installs libisal2 (CI=true), and node-rs always', () => {
    const names = implementations.map((i) => i.name);
    expect(names).toContain('node-rs');
    if (process.env.CI === 'true') expect(names).toContain('isa-l');
  });

  it('auto selects the fastest available (ISA-L first)', () => {
    const names = implementations.map((i) => i.name);
    if (process.env.FISHERD_CRC32C === undefined) expect(selectedCrc32c().name).toBe(names.includes('isa-l') ? 'isa-l' : 'node-rs');
  });

  it('explains why an unavailable implementation cannot be used', () => {
    for (const name of CRC32C_NAMES) {
      if (!implementations.some((i) => i.name === name)) expect(() => crc32cImplementation(name)).toThrow(/unavailable/);
    }
  });

  for (const impl of implementations) {
    describe(impl.name, () => {
      it('gives the check value 0xe3069283 for "123456789"', () => {
        expect(impl.update(new TextEncoder().encode('123456789'), 0)).toBe(0xe3069283);
      });

      it('matches the bitwise definition at every length 0..600 and at unaligned offsets', () => {
        const backing = Uint8Array.from({ length: 700 }, (_, i) => (i * 131 + 7) & 0xff);
        for (let n = 0; n <= 600; n += 1) {
          const bytes = backing.subarray(n % 13, (n % 13) + n);
          expect(impl.update(bytes, 0)).toBe(bitwiseCrc32c(bytes));
        }
      });

      it('continues from an earlier CRC (parts give the CRC of the whole)', () => {
        const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 2654435761) >>> 24);
        for (const split of [0, 1, 3, 64, 4097, 9999, 10_000]) {
          const first = impl.update(bytes.subarray(0, split), 0);
          expect(impl.update(bytes.subarray(split), first)).toBe(bitwiseCrc32c(bytes));
          expect(bitwiseCrc32c(bytes.subarray(split), bitwiseCrc32c(bytes.subarray(0, split)))).toBe(bitwiseCrc32c(bytes));
        }
      });

      it('agrees with every other implementation on 3 MB of varied bytes', () => {
        const bytes = Uint8Array.from({ length: 3_000_001 }, (_, i) => (i * 2246822519) >>> 27);
        const expected = implementations[0]!.update(bytes, 0);
        expect(impl.update(bytes, 0)).toBe(expected);
        expect(impl.update(bytes.subarray(1), 0)).toBe(implementations[0]!.update(bytes.subarray(1), 0));
      });
    });
  }
});
