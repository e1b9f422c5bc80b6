export type { RedisStoreOptions } from './options.js';
export { type RedisTokenStore, redisStore } from './store.js';
