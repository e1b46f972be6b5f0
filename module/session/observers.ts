/** Several session observers as one (metrics, plus whatever a test or embedder adds). */
import type { SessionObserver } from './session';

export function combineObservers(...list: (SessionObserver | undefined)[]): SessionObserver {
  const all = list.filter((o): o is SessionObserver => o !== undefined);
  return {
    request: (...a) => all.forEach((o) => o.request?.(...a)),
    event: (...a) => all.forEach((o) => o.event?.(...a)),
    login: (...a) => all.forEach((o) => o.login?.(...a)),
    resume: (...a) => all.forEach((o) => o.resume?.(...a)),
  };
}
