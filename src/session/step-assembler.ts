/**
 * Collects the contributions of one step from W data-parallel workers and says when the step is complete.
 * It checks only what concerns assembly (step index, worker id, duplicates); the session validates the
 * payloads (`Session.validate`) and the daemon adds the timeouts (WORKER_TIMEOUT, then `abandon`).
 */
import { FisherdError } from '../errors.js';
import type { StepContribution } from './contribution.js';

export class StepAssembler {
  private readonly contributions: (StepContribution | undefined)[];
  private received = 0;
  private expected: number;

  /**
   * @param workers W ≥ 1.
   * @param firstStep the step to assemble first (the session's `nextStep`).
   */
  constructor(readonly workers: number, firstStep: number) {
    if (!Number.isInteger(workers) || workers < 1) {
      throw new FisherdError('INVALID_CONFIG', `workers must be an integer ≥ 1, got ${workers}`, { field: 'workers' });
    }
    this.contributions = new Array<StepContribution | undefined>(workers).fill(undefined);
    this.expected = firstStep;
  }

  /** The step being assembled. */
  get step(): number {
    return this.expected;
  }

  /** How many of the W contributions have arrived. */
  get count(): number {
    return this.received;
  }

  /** True when every worker has contributed. */
  get complete(): boolean {
    return this.received === this.workers;
  }

  /** The workers that have not contributed yet, ascending. */
  missingWorkers(): number[] {
    const missing: number[] = [];
    this.contributions.forEach((c, i) => {
      if (c === undefined) missing.push(i);
    });
    return missing;
  }

  /**
   * Adds a contribution; returns `complete`. Throws STEP_OUT_OF_ORDER for another step and BAD_WORKER for
   * a worker id out of [0, W) or a second contribution of the same worker; a throw changes nothing.
   */
  add(contribution: StepContribution): boolean {
    const { step, workerId } = contribution;
    if (step !== this.expected) {
      throw new FisherdError('STEP_OUT_OF_ORDER', `step ${step} is not the step being assembled (${this.expected})`, {
        field: 'step',
        step,
      });
    }
    if (!Number.isInteger(workerId) || workerId < 0 || workerId >= this.workers) {
      throw new FisherdError('BAD_WORKER', `workerId ${workerId} is not in [0, ${this.workers})`, { field: 'workerId', step });
    }
    if (this.contributions[workerId] !== undefined) {
      throw new FisherdError('BAD_WORKER', `worker ${workerId} already contributed to step ${step}`, { field: 'workerId', step });
    }
    this.contributions[workerId] = contribution;
    this.received += 1;
    return this.complete;
  }

  /**
   * Hands over the W contributions ordered by worker id and starts assembling the next step. Throws
   * INTERNAL when called before the step is complete.
   */
  take(): StepContribution[] {
    if (!this.complete) {
      throw new FisherdError('INTERNAL', `step ${this.expected} is missing workers ${this.missingWorkers().join(', ')}`, {
        step: this.expected,
      });
    }
    const taken = this.contributions.slice() as StepContribution[];
    this.reset(this.expected + 1);
    return taken;
  }

  /** Drops what was collected of the current step (after a timeout); the same step is assembled again. */
  abandon(): void {
    this.reset(this.expected);
  }

  /** Drops what was collected and assembles `step` next (e.g. the session's `nextStep` after a failed step). */
  reset(step: number): void {
    this.contributions.fill(undefined);
    this.received = 0;
    this.expected = step;
  }
}
