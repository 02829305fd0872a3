import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import {
  decodeRecord, encodeRecord, TRACE_FORMAT_VERSION, TRACE_MAGIC, type TraceHeader, type TraceRecord,
} from '../../src/trace/record-codec.js';
import { packageRoot, schemaHash, schemaHashOf } from '../../src/trace/schema-hash.js';

const root = packageRoot();
const schema = new protobuf.Root();
schema.resolvePath = (origin, target) => (origin ? join(root, 'proto', target) : target);
schema.loadSync(join(root, 'proto/trace.proto'));
const TraceRecordType = schema.lookupType('fisherd.trace.v1.TraceRecord');

// protobufjs returns Node Buffers; the codec returns plain Uint8Array views.
const plain = (bytes: Uint8Array) => new Uint8Array(bytes);
const sessionConfig = plain(fisherd.v1.SessionConfig.encode({ dim: 3, workers: 1 }).finish());

const header: TraceHeader = {
  magic: TRACE_MAGIC, formatVersion: TRACE_FORMAT_VERSION, schemaHash: 'sha256:abc', fisherdVersion: '0.1.0',
  sessionId: 's-1', sessionConfig, createdAtMs: 1_790_000_000_123, segmentIndex: 2, backend: 'reference',
};
const contribution = plain(fisherd.v1.StepContribution.encode({
  step: 7, workerId: 0, batchSize: 2, loss: 0.5,
  perExampleGrads: new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer),
}).finish());
const update = plain(fisherd.v1.Update.encode({
  sessionId: 's-1', step: 7, delta: new Uint8Array(new Float32Array([-0.1, 0.2, -0.3]).buffer),
  diagnostics: { batchSize: 2, updateNorm: 0.37, values: { cosineEfFisher: 0.9 } },
}).finish());

const records: TraceRecord[] = [
  { kind: 'header', header, recordedAtMs: header.createdAtMs },
  { kind: 'contribution', body: contribution, recordedAtMs: 1_790_000_000_200 },
  { kind: 'update', body: update, recordedAtMs: 1_790_000_000_201 },
  { kind: 'end', end: { records: 3, continued: true, recovered: false }, recordedAtMs: 1_790_000_000_300 },
  { kind: 'end', end: { records: 9, continued: false, recovered: true }, recordedAtMs: 0 },
];

describe('trace records', () => {
  it.each(records.map((r) => [r.kind, r] as const))('round-trips a %s record', (_kind, record) => {
    expect(decodeRecord(encodeRecord(record))).toEqual(record);
  });

  it('encodes what protobufjs reads from proto/trace.proto, and reads what it writes', () => {
    for (const record of records) {
      const bytes = encodeRecord(record);
      const viaSchema = TraceRecordType.toObject(TraceRecordType.decode(bytes), { longs: Number, bytes: Array, defaults: false, oneofs: true });
      expect(viaSchema['record']).toBe(record.kind);
      if (record.kind === 'header') {
        const h = viaSchema['header'] as Record<string, unknown>;
        expect(h).toMatchObject({ magic: TRACE_MAGIC, formatVersion: 1, sessionId: 's-1', createdAtMs: header.createdAtMs, segmentIndex: 2, backend: 'reference' });
        expect((h['sessionConfig'] as { dim: number }).dim).toBe(3);
      } else if (record.kind === 'contribution') {
        expect(viaSchema['contribution']).toMatchObject({ step: 7, batchSize: 2, loss: 0.5 });
      } else if (record.kind === 'update') {
        expect(viaSchema['update']).toMatchObject({ sessionId: 's-1', step: 7 });
      } else {
        expect(viaSchema['end']).toMatchObject({ records: record.end.records });
      }
      // and back: protobufjs' own encoding of the same object decodes to the same record
      const reencoded = TraceRecordType.encode(TraceRecordType.fromObject(TraceRecordType.toObject(TraceRecordType.decode(bytes)))).finish();
      const back = decodeRecord(reencoded);
      if (record.kind === 'header' && back.kind === 'header') {
        // protobufjs may order the nested config's fields differently: compare the config by value
        const config = (bytes: Uint8Array) => fisherd.v1.SessionConfig.toObject(fisherd.v1.SessionConfig.decode(bytes), { bytes: String });
        expect(config(back.header.sessionConfig)).toEqual(config(record.header.sessionConfig));
        expect({ ...back.header, sessionConfig: undefined }).toEqual({ ...record.header, sessionConfig: undefined });
      } else if (record.kind === 'contribution' && back.kind === 'contribution') {
        const step = (bytes: Uint8Array) => fisherd.v1.StepContribution.toObject(fisherd.v1.StepContribution.decode(bytes), { bytes: String });
        expect(step(back.body)).toEqual(step(record.body));
      } else if (record.kind === 'update' && back.kind === 'update') {
        const upd = (bytes: Uint8Array) => fisherd.v1.Update.toObject(fisherd.v1.Update.decode(bytes), { bytes: String });
        expect(upd(back.body)).toEqual(upd(record.body));
      } else {
        expect(back).toEqual(record);
      }
    }
  });

  it('rejects payloads that are not trace records as TRACE_CORRUPT', () => {
    for (const junk of [new Uint8Array([0xff, 0xff]), new Uint8Array([0x12, 0x05, 1]), new Uint8Array(0), new Uint8Array([0x08, 0x01])]) {
      let caught: unknown;
      try { decodeRecord(junk); } catch (e) { caught = e; }
      expect(isFisherdError(caught, 'TRACE_CORRUPT')).toBe(true);
    }
  });
});

describe('schema hash', () => {
  it('is a stable sha256 of the descriptors, blind to comments', () => {
    expect(schemaHash()).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(schemaHash()).toBe(schemaHashOf([join(root, 'proto/fisherd.proto'), join(root, 'proto/trace.proto')]));
  });
});
