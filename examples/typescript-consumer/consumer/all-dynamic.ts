// A CommonJS project under `module: node16` loads ES modules with import().
export async function all(): Promise<string> {
  const core = await import('@lacework-auth/core');
  const { laceworkAuth } = await import('@lacework-auth/express');
  const { createCollection } = await import('@lacework-auth/postman');
  const { LaceworkAccessToken } = await import('@lacework-auth/cdktf');
  const { redisStore } = await import('@lacework-auth/redis');
  const { startEmulator } = await import('@lacework-auth/emulator');
  const emulator = await startEmulator({ port: 0 });
  const provider = core.createTokenProvider({ baseUrl: emulator.url });
  const handler = laceworkAuth({ tokenProvider: provider });
  void LaceworkAccessToken;
  void redisStore;
  return `${createCollection({ tokenScope: 'globals' }).name} ${typeof handler}`;
}
