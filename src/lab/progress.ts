/**
 * How experiments report progress: a phase with a label and a total, advanced as work completes. The CLI
 * draws it with cli-progress (`src/cli/lab.ts`); library callers and tests pass `silentProgress`.
 */
export interface Progress {
  /** Starts a phase of `total` units. */
  begin(label: string, total: number): void;
  /** Units done so far in the current phase. */
  update(done: number): void;
  /** Ends the current phase. */
  end(): void;
}

export const silentProgress: Progress = {
  begin: () => undefined,
  update: () => undefined,
  end: () => undefined,
};

/** Runs `work` as one phase, ending it even when the work throws. */
export async function phase<T>(progress: Progress, label: string, total: number, work: (update: (done: number) => void) => Promise<T>): Promise<T> {
  progress.begin(label, total);
  try {
    return await work((done) => progress.update(done));
  } finally {
    progress.end();
  }
}
