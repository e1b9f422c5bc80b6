import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TerraformRun, Workspace } from './terraform.js';
import { readZip } from './zip.js';

/** Something Terraform wrote or printed, by where it came from. */
export interface Artifact {
  /** e.g. `terraform.tfstate`, `tfplan:tfstate`, `terraform show -json tfplan (stdout)` */
  where: string;
  data: Buffer;
}

/** The commands of a saved-plan run, stopping at the first that fails. */
export const SAVED_PLAN_RUN: string[][] = [
  ['init'],
  ['plan', '-out=tfplan'],
  ['apply', 'tfplan'],
  ['show', '-json'],
  ['show', '-json', 'tfplan'],
  ['output', '-json'],
];

export interface SavedPlanRun {
  runs: TerraformRun[];
  failed: TerraformRun | undefined;
  outputs: Record<string, { value: unknown; sensitive: boolean }> | undefined;
}

/** Runs init, plan (saved to `tfplan`), apply of that plan, show -json (state and plan), output. */
export async function runSavedPlan(
  workspace: Workspace,
  env: Record<string, string>,
  commands: string[][] = SAVED_PLAN_RUN,
): Promise<SavedPlanRun> {
  const runs: TerraformRun[] = [];
  for (const args of commands) {
    const run = await workspace.terraform(args, env);
    runs.push(run);
    if (run.code !== 0) return { runs, failed: run, outputs: undefined };
  }
  const output = runs.find((run) => run.args[0] === 'output');
  return { runs, failed: undefined, outputs: output ? JSON.parse(output.stdout) : undefined };
}

/**
 * Everything a secret could hide in after a run: every file under the stack directory (state,
 * its backups, the lock file, `.terraform/` except the provider binaries), every member of every
 * saved plan (a zip: the plan, its state snapshots, the configuration), and the stdout and stderr
 * of every command (`show -json` included).
 */
export function collectArtifacts(workspace: Workspace, runs: TerraformRun[]): Artifact[] {
  const artifacts: Artifact[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const where = relative(workspace.dir, path);
      const stat = lstatSync(path);
      // Provider packages are symlinks into the plugin mirror (the bundled provider itself).
      if (stat.isSymbolicLink()) continue;
      if (stat.isDirectory()) {
        walk(path);
        continue;
      }
      const data = readFileSync(path);
      artifacts.push({ where, data });
      if (data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
        for (const member of readZip(data)) {
          artifacts.push({ where: `${where}:${member.name}`, data: member.data });
        }
      }
    }
  };
  walk(workspace.dir);
  for (const run of runs) {
    const command = `terraform ${run.args.filter((a) => a !== '-no-color' && a !== '-input=false').join(' ')}`;
    artifacts.push({ where: `${command} (stdout)`, data: Buffer.from(run.stdout) });
    artifacts.push({ where: `${command} (stderr)`, data: Buffer.from(run.stderr) });
  }
  return artifacts;
}

/** Where each value occurs (`<label> in <where>`), or an empty list. Values are never quoted. */
export function findLeaks(
  artifacts: Artifact[],
  values: { label: string; value: string }[],
): string[] {
  const leaks: string[] = [];
  for (const { label, value } of values) {
    if (!value) continue;
    for (const artifact of artifacts) {
      if (artifact.data.includes(value)) leaks.push(`${label} in ${artifact.where}`);
    }
  }
  return leaks;
}

/** The emulator's tokens: 112 upper-case hex characters (packages/emulator/src/tokens.ts). */
const TOKEN_LENGTH = 112;

/**
 * Every place where a token the emulator issued occurs. Each run of hex characters is checked at
 * every offset, since a binary neighbour (a protobuf length byte) can itself be a hex character.
 */
export function findIssuedTokens(
  artifacts: Artifact[],
  isIssuedToken: (value: string) => boolean,
): string[] {
  const leaks: string[] = [];
  for (const artifact of artifacts) {
    const runs = artifact.data.toString('latin1').match(/[0-9A-F]{112,}/g) ?? [];
    const found = runs.some((run) => {
      for (let i = 0; i + TOKEN_LENGTH <= run.length; i++) {
        if (isIssuedToken(run.slice(i, i + TOKEN_LENGTH))) return true;
      }
      return false;
    });
    if (found) leaks.push(`a token in ${artifact.where}`);
  }
  return leaks;
}
