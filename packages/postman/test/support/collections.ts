import { type CollectionOptions, createCollection } from '../../src/collection.js';

/** A request item of a test collection. */
export interface TestItem {
  name: string;
  request: Record<string, unknown>;
  event?: unknown[];
}

/** A generated Lacework collection (v2.1 JSON) whose starter items are replaced by `items`. */
export function laceworkCollection(items: TestItem[], options: CollectionOptions = {}) {
  const json = createCollection(options).toJSON();
  return { ...json, item: items };
}

/** `count` requests to `GET {{lw_base_url}}/api/v2/UserProfile`. */
export function profileRequests(count: number, prefix = 'profile'): TestItem[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix} ${i + 1}`,
    request: { method: 'GET', url: '{{lw_base_url}}/api/v2/UserProfile' },
  }));
}

/** A request whose own pre-request script waits `ms` before it is sent (sandbox timers). */
export function waitRequest(name: string, ms: number): TestItem {
  return {
    name,
    request: { method: 'GET', url: '{{lw_base_url}}/api/v2/Echo/wait' },
    event: [
      {
        listen: 'prerequest',
        script: { type: 'text/javascript', exec: [`setTimeout(() => {}, ${ms});`] },
      },
    ],
  };
}
