import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@lacework-auth/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/http-server.js';
import { createWorkspace, requireTerraform, type Workspace } from '../support/terraform.js';
import { type HttpProvider, startHttpProvider } from './server.js';

// Real Terraform attached to the stand-in, on a hand-written stack (test/fixtures/token-stack)
// shaped like the one LaceworkAccessToken synthesizes: this proves the stand-in, independently
// of the construct.

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, '..', 'fixtures', 'token-stack');

let provider: HttpProvider;
let emu: Emulator;
let server: TestServer;
const workspaces: Workspace[] = [];
const tempDirs: string[] = [];

beforeAll(async () => {
  await requireTerraform();
  [provider, emu, server] = await Promise.all([
    startHttpProvider(),
    startEmulator(),
    startTestServer((_req, res) => res.end('ok')),
  ]);
});

afterAll(async () => {
  for (const workspace of workspaces) workspace.remove();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  await Promise.all([provider?.close(), emu?.close(), server?.close()]);
});

function workspaceFrom(dir: string, reattach = provider.reattach): Workspace {
  const workspace = createWorkspace(dir, reattach);
  workspaces.push(workspace);
  return workspace;
}

/** A one-file stack in a temp dir. */
function stackDir(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'lw-stack-'));
  tempDirs.push(dir);
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
  return dir;
}

/** A Terraform interpolation, `${expression}`, spelled so it is not mistaken for a JS template. */
const tf = (expression: string) => `\${${expression}}`;

const requiredHttp = {
  required_providers: { http: { source: 'hashicorp/http', version: '>= 3.4.1, < 4.0.0' } },
};

describe('Terraform attached to the stand-in through TF_REATTACH_PROVIDERS', () => {
  it('runs the hand-written token stack: init, apply, output', { timeout: 60_000 }, async () => {
    const key = emu.keys[0];
    if (!key) throw new Error('the emulator has no key');
    const workspace = workspaceFrom(fixture);
    const vars = {
      TF_VAR_lacework_base_url: emu.url,
      TF_VAR_lacework_key_id: key.keyId,
      TF_VAR_lacework_secret: key.secret,
    };
    const init = await workspace.terraform(['init'], vars);
    expect(init.code, init.stderr).toBe(0);
    const apply = await workspace.terraform(['apply', '-auto-approve'], vars);
    expect(apply.code, apply.stderr).toBe(0);
    const output = await workspace.terraform(['output', '-json'], vars);
    const outputs = JSON.parse(output.stdout);
    expect(emu.isIssuedToken(outputs.token.value)).toBe(true);
    expect(outputs.user_profile_status.value).toBe(200);
    for (const run of workspace.runs.slice(0, 2)) {
      expect(run.stdout + run.stderr).not.toContain(key.secret);
      expect(run.stdout + run.stderr).not.toContain(outputs.token.value);
    }
    // Everything Terraform 1.11 asked of a data-source-only provider.
    expect(new Set(provider.calls.map((c) => c.rpc))).toEqual(
      new Set([
        'GetProviderSchema',
        'ValidateProviderConfig',
        'ConfigureProvider',
        'ValidateDataResourceConfig',
        'ReadDataSource',
      ]),
    );
  });

  it('defers a read whose config is unknown at plan time to apply', {
    timeout: 60_000,
  }, async () => {
    const workspace = workspaceFrom(
      stackDir({
        terraform: requiredHttp,
        resource: { terraform_data: { id: { input: 'x' } } },
        data: {
          http: {
            later: {
              url: `${server.url}/${tf('terraform_data.id.id')}`,
              method: tf('terraform_data.id.id != "" ? "POST" : "GET"'),
              request_headers: { 'X-Request-Id': tf('terraform_data.id.id') },
            },
          },
        },
        output: { status: { value: tf('data.http.later.status_code') } },
      }),
    );
    const plan = await workspace.terraform(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/<= data "http" "later"[\s\S]*url\s+= \(known after apply\)/);
    const before = server.requests.length;
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('status = 200');
    expect(server.requests.slice(before).map((r) => r.method)).toEqual(['POST']);
  });

  it('also runs as its own process (`node server.js`) for Terraform by hand', {
    timeout: 60_000,
  }, async () => {
    const child = spawn(process.execPath, [join(here, 'server.js')], { stdio: 'pipe' });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('\n')) resolve(out);
        });
        child.on('error', reject);
        child.once('exit', (code) => reject(new Error(`server.js exited with ${code}`)));
      });
      const reattach = /^export TF_REATTACH_PROVIDERS='(.+)'$/m.exec(line)?.[1];
      expect(JSON.parse(reattach ?? 'null')).toMatchObject({
        'registry.terraform.io/hashicorp/http': { Pid: child.pid, Test: true },
      });
      const workspace = workspaceFrom(
        stackDir({
          terraform: requiredHttp,
          data: { http: { ping: { url: `${server.url}/ping` } } },
          output: { body: { value: tf('data.http.ping.response_body') } },
        }),
        reattach,
      );
      const plan = await workspace.terraform(['plan']);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('body = "ok"');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
