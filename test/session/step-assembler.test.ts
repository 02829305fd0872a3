/** StepAssembler: collects one step's W contributions; rejects other steps, bad and duplicate workers. */
import { describe, expect, it } from 'vitest';
import { StepAssembler, type StepContribution } from '../../src/session/index.js';

const c = (step: number, workerId: number): StepContribution => ({ step, workerId, batchSize: 1, reduction: 'sum', meanGrad: new Float32Array(2) });

describe('StepAssembler', () => {
  it('says when all W workers have contributed and hands them over in worker order', () => {
    const assembler = new StepAssembler(3, 1);
    expect(assembler.add(c(1, 2))).toBe(false);
    expect(assembler.add(c(1, 0))).toBe(false);
    expect(assembler.missingWorkers()).toEqual([1]);
    expect(assembler.count).toBe(2);
    expect(assembler.add(c(1, 1))).toBe(true);
    expect(assembler.take().map((x) => x.workerId)).toEqual([0, 1, 2]);
    expect(assembler.step).toBe(2);
    expect(assembler.count).toBe(0);
  });

  it('rejects another step, an out-of-range or duplicate worker, and changes nothing when it does', () => {
    const assembler = new StepAssembler(2, 5);
    assembler.add(c(5, 0));
    expect(() => assembler.add(c(6, 1))).toThrow(expect.objectContaining({ code: 'STEP_OUT_OF_ORDER', step: 6 }) as Error);
    expect(() => assembler.add(c(4, 1))).toThrow(expect.objectContaining({ code: 'STEP_OUT_OF_ORDER' }) as Error);
    expect(() => assembler.add(c(5, 2))).toThrow(expect.objectContaining({ code: 'BAD_WORKER', field: 'workerId' }) as Error);
    expect(() => assembler.add(c(5, -1))).toThrow(expect.objectContaining({ code: 'BAD_WORKER' }) as Error);
    expect(() => assembler.add(c(5, 0))).toThrow(expect.objectContaining({ code: 'BAD_WORKER' }) as Error);
    expect(assembler.count).toBe(1);
    expect(() => assembler.take()).toThrow(expect.objectContaining({ code: 'INTERNAL' }) as Error);
  });

  it('abandons a timed-out step and resets to another', () => {
    const assembler = new StepAssembler(2, 1);
    assembler.add(c(1, 1));
    assembler.abandon();
    expect(assembler.step).toBe(1);
    expect(assembler.missingWorkers()).toEqual([0, 1]);
    assembler.reset(7);
    expect(() => assembler.add(c(1, 0))).toThrow(expect.objectContaining({ code: 'STEP_OUT_OF_ORDER' }) as Error);
    expect(assembler.add(c(7, 0))).toBe(false);
  });

  it('needs W ≥ 1', () => {
    expect(() => new StepAssembler(0, 1)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', field: 'workers' }) as Error);
  });
});
