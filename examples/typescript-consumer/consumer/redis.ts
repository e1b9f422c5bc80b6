import { redisStore } from '@lacework-auth/redis';

export function store(): unknown {
  return redisStore({ url: 'redis://127.0.0.1:6379' });
}
