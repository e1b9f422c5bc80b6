import { type Emulator, type Fault, startEmulator } from '@lacework-auth/emulator';

export async function emulator(): Promise<string> {
  const emu: Emulator = await startEmulator({ port: 0 });
  const fault: Fault = { route: 'token', status: 503 };
  emu.inject(fault);
  await emu.close();
  return emu.url;
}
