/** Reads .npy headers in the tests, independently of src/trace/update-export.ts. */
import { expect } from 'vitest';

/** Parses an NPY 1.0/2.0 header as numpy's format.read_array_header does (magic, version, length, dict). */
export function parseNpy(bytes: Uint8Array): { descr: string; fortranOrder: boolean; shape: number[]; dataOffset: number } {
  expect(Array.from(bytes.subarray(0, 6))).toEqual([0x93, ...Buffer.from('NUMPY')]);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const dataOffset = start + headerLength;
  expect(dataOffset % 64).toBe(0); // numpy aligns the data to 64 bytes
  const text = Buffer.from(bytes.subarray(start, dataOffset)).toString('latin1');
  expect(text.endsWith('\n')).toBe(true);
  const match = /^\{'descr': '([^']+)', 'fortran_order': (True|False), 'shape': \(([\d, ]*)\), \}\s*$/.exec(text);
  expect(match).not.toBeNull();
  const shape = match![3]!.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  return { descr: match![1]!, fortranOrder: match![2] === 'True', shape, dataOffset };
}
