// Placeholder until the group domain lands: no routes, no groups.
import type { DomainDeps, GroupDomain } from '../api/contract';

export function createGroupDomain(_deps: DomainDeps): GroupDomain {
  return { routes: new Map(), group: () => undefined, memberIDs: () => undefined, member: () => undefined };
}
