import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, type EmulatorKey, startEmulator } from '@lacework-auth/emulator';
import { afterAll, beforeAll } from 'vitest';
import { type HttpProvider, startHttpProvider } from '../http-provider/server.js';
import { type LaceworkProvider, startLaceworkProvider } from '../lacework-provider/server.js';
import { collectArtifacts, findIssuedTokens, findLeaks } from './artifacts.js';
import {
  createWorkspace,
  requireTerraform,
  type TerraformRun,
  type Workspace,
} from './terraform.js';

/** The key's secret in every e2e run: a canary that must never show up in Terraform's output. */
export const CANARY_SECRET = `_${'c0ffee00'.repeat(4)}`;
/** A well-formed secret the emulator does not know. */
export const WRONG_SECRET = `_${'0badc0de'.repeat(4)}`;

/** What one e2e test file shares: Terraform checked, the stand-in provider, the emulator. */
export interface E2e {
  emu: Emulator;
  provider: HttpProvider;
  key: EmulatorKey;
  /** A scratch directory for synthesized stacks, removed by `close()`. */
  outdir: string;
  /** `TF_VAR_*` for the construct's variables (LaceworkKeyVariables with `baseUrl: true`). */
  vars(overrides?: { secret?: string }): Record<string, string>;
  /**
   * The environment of the provider modes: the key in `LW_API_KEY` / `LW_API_SECRET`, read by
   * the lacework-auth provider, and the emulator's URL in `TF_VAR_lacework_base_url`.
   */
  providerEnv(overrides?: { secret?: string }): Record<string, string>;
  /** The lacework/lacework stand-in, when started with `{ laceworkProvider: true }`. */
  lacework: LaceworkProvider | undefined;
  /** A fresh copy of a synthesized stack to run Terraform in. */
  workspace(stackDir: string): Workspace;
  /**
   * The leak search over everything a run left (collectArtifacts): where it searched, where the
   * key's secret (or `secret`) is, and where any token the emulator issued is.
   */
  leaks(workspace: Workspace, runs: TerraformRun[], secret?: string): LeakSearch;
  close(): Promise<void>;
}

/** What {@link E2e.leaks} found: places as `the secret in <where>`, `a token in <where>`. */
export interface LeakSearch {
  searched: string[];
  secret: string[];
  tokens: string[];
}

export async function startE2e(options: { laceworkProvider?: boolean } = {}): Promise<E2e> {
  // Fails with install instructions when Terraform is missing: never a silent skip.
  await requireTerraform();
  const [emu, provider] = await Promise.all([
    // The Go SDK (so the Lacework provider) sends a bare `Authorization: <token>`.
    startEmulator({
      keys: [{ secret: CANARY_SECRET }],
      bareTokens: options.laceworkProvider === true,
    }),
    startHttpProvider(),
  ]);
  const lacework = options.laceworkProvider
    ? await startLaceworkProvider({ baseUrl: emu.url })
    : undefined;
  const reattach = JSON.stringify({ ...JSON.parse(provider.reattach), ...lacework?.reattach });
  const key = emu.keys[0] as EmulatorKey;
  const outdir = mkdtempSync(join(tmpdir(), 'lw-synth-'));
  const workspaces: Workspace[] = [];
  return {
    emu,
    provider,
    key,
    outdir,
    vars: (overrides = {}) => ({
      TF_VAR_lacework_base_url: emu.url,
      TF_VAR_lacework_key_id: key.keyId,
      TF_VAR_lacework_secret: overrides.secret ?? key.secret,
    }),
    providerEnv: (overrides = {}) => ({
      TF_VAR_lacework_base_url: emu.url,
      LW_API_KEY: key.keyId,
      LW_API_SECRET: overrides.secret ?? key.secret,
    }),
    lacework,
    workspace(stackDir) {
      const workspace = createWorkspace(stackDir, reattach);
      workspaces.push(workspace);
      return workspace;
    },
    leaks(workspace, runs, secret = key.secret) {
      const artifacts = collectArtifacts(workspace, runs);
      return {
        searched: artifacts.map((artifact) => artifact.where),
        secret: findLeaks(artifacts, [{ label: 'the secret', value: secret }]),
        tokens: findIssuedTokens(artifacts, (value) => emu.isIssuedToken(value)),
      };
    },
    async close() {
      for (const workspace of workspaces) workspace.remove();
      rmSync(outdir, { recursive: true, force: true });
      await Promise.all([provider.close(), emu.close(), lacework?.close()]);
    },
  };
}

/**
 * The e2e environment of one test file: started before its tests (`beforeAll`, Terraform runs
 * included in a generous timeout) and closed after them. Use it inside tests and hooks only.
 */
export function useE2e(options: { laceworkProvider?: boolean } = {}): E2e {
  let started: E2e | undefined;
  beforeAll(async () => {
    started = await startE2e(options);
  }, 120_000);
  afterAll(() => started?.close());
  return new Proxy({} as E2e, {
    get(_target, property) {
      if (!started) throw new Error('the e2e environment is used before its beforeAll ran');
      return Reflect.get(started, property);
    },
  });
}

/** Outputs as `terraform output -json` prints them. */
export type Outputs = Record<string, { value: unknown; sensitive: boolean }>;

/** The commands of one stack run, stopping at the first that fails. */
export interface StackRun {
  runs: TerraformRun[];
  outputs: Outputs | undefined;
  failed: TerraformRun | undefined;
}

export type Step = 'init' | 'plan' | 'apply' | 'output';

const ARGS: Record<Step, string[]> = {
  init: ['init'],
  plan: ['plan'],
  apply: ['apply', '-auto-approve'],
  output: ['output', '-json'],
};

/** Runs `terraform init`, `plan`, `apply -auto-approve`, `output -json` (or the given steps). */
export async function runStack(
  workspace: Workspace,
  vars: Record<string, string>,
  steps: Step[] = ['init', 'plan', 'apply', 'output'],
): Promise<StackRun> {
  const runs: TerraformRun[] = [];
  for (const step of steps) {
    const run = await workspace.terraform(ARGS[step], vars);
    runs.push(run);
    if (run.code !== 0) return { runs, outputs: undefined, failed: run };
  }
  const output = runs.find((run) => run.args[0] === 'output');
  return { runs, outputs: output ? JSON.parse(output.stdout) : undefined, failed: undefined };
}

/** Replaces each secret in `text` (for failure messages that quote Terraform's output). */
export function redact(text: string, secrets: string[]): string {
  return secrets.reduce(
    (out, secret) => (secret ? out.split(secret).join('[REDACTED]') : out),
    text,
  );
}

/** Text a human sees from a run, with Terraform's line wrapping undone. */
export const flat = (run: TerraformRun) => `${run.stdout}\n${run.stderr}`.replace(/\s+/g, ' ');

/**
 * Everything a good run of a token stack must show, as a list of problems (empty when good), so
 * the same verdict serves the tests of the real construct and the tests that break it on purpose:
 * - every command succeeded;
 * - an output holds a token the emulator issued, and the UserProfile call Terraform made with it
 *   was answered 200 (the emulator answers 403 to any token it did not issue);
 * - neither the secret nor any token appears in what init/plan/apply printed, and they show the
 *   token output as "(sensitive value)" (plan) and "<sensitive>" (apply).
 */
export function tokenRunProblems(e2e: E2e, run: StackRun, since: number): string[] {
  const problems: string[] = [];
  const tokens = Object.values(run.outputs ?? {})
    .map((output) => output.value)
    .filter((value): value is string => typeof value === 'string' && e2e.emu.isIssuedToken(value));
  const secrets = [e2e.key.secret, ...tokens];
  if (run.failed) {
    problems.push(
      `terraform ${run.failed.args[0]} exited ${run.failed.code}: ${redact(run.failed.stderr, secrets).trim()}`,
    );
  }
  if (run.outputs && tokens.length === 0) {
    problems.push('no output holds a token the emulator issued');
  }
  const profileCalls = e2e.emu
    .requests()
    .slice(since)
    .filter((request) => request.path === '/api/v2/UserProfile');
  if (!profileCalls.some((request) => request.status === 200)) {
    problems.push(
      `UserProfile was not answered 200 (statuses: ${profileCalls.map((r) => r.status).join(', ') || 'no call'})`,
    );
  }
  // `output -json` prints sensitive values by design; every other command must not.
  for (const command of run.runs.filter((r) => r.args[0] !== 'output')) {
    const text = command.stdout + command.stderr;
    if (text.includes(e2e.key.secret)) {
      problems.push(`terraform ${command.args[0]} printed the secret`);
    }
    // Any token the emulator ever issued: plan and apply each get their own.
    const words = text.match(/[A-Za-z0-9._~+/=-]{20,}/g) ?? [];
    if (words.some((word) => e2e.emu.isIssuedToken(word))) {
      problems.push(`terraform ${command.args[0]} printed a token`);
    }
  }
  const plan = run.runs.find((r) => r.args[0] === 'plan');
  if (plan && plan.code === 0 && !/\btoken\s+= \(sensitive value\)/.test(plan.stdout)) {
    problems.push('the plan does not show the token output as (sensitive value)');
  }
  const apply = run.runs.find((r) => r.args[0] === 'apply');
  if (apply && apply.code === 0 && !/\btoken = <sensitive>/.test(apply.stdout)) {
    problems.push('the apply does not show the token output as <sensitive>');
  }
  return problems;
}
