import { createCollection, createEnvironment, type ScriptOptions } from '@lacework-auth/postman';

export function postman(): string {
  const script: ScriptOptions = { tokenScope: 'environment', refreshWindow: 60_000 };
  const environment = createEnvironment({ account: 'acme' });
  return `${createCollection(script).name} ${environment.name}`;
}
