/**
 * Several session observers as one (the daemon's dashboard feed beside a caller's trace recorder): each
 * event goes to each observer in order, and one that throws is logged without keeping the event from the
 * others.
 */
import type { Logger } from '../log.js';
import type { SessionObserver } from './session-host.js';

export function combineObservers(observers: readonly (SessionObserver | undefined)[], logger: Logger): SessionObserver | undefined {
  const present = observers.filter((o): o is SessionObserver => o !== undefined);
  if (present.length <= 1) return present[0];
  const each = <E>(pick: (o: SessionObserver) => ((event: E) => void) | undefined, what: string) => (event: E): void => {
    for (const observer of present) {
      const handler = pick(observer);
      if (handler === undefined) continue;
      try {
        handler.call(observer, event);
      } catch (e) {
        logger.error({ err: e, observer: what }, 'session observer threw');
      }
    }
  };
  return {
    onOpen: each((o) => o.onOpen, 'onOpen'),
    onStep: each((o) => o.onStep, 'onStep'),
    onClose: each((o) => o.onClose, 'onClose'),
  };
}
