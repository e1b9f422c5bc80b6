// @ts-check
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
// The repository's demo plumbing (LW_* or an embedded emulator): not needed in your own code.
import { runAsScript } from '@lacework-auth/test-kit';
import { buildApp, STACK_NAME } from './stack.js';

const OUTDIR = fileURLToPath(new URL('../cdktf.out', import.meta.url));

/** @param {string} dir @returns {string[]} every file below `dir` */
function filesBelow(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Synthesizes the example stack and shows what Terraform will run. Nothing is fetched here: the
 * lacework-auth provider reads the key from LW_API_KEY / LW_API_SECRET when Terraform runs it,
 * and requests the token at plan time. `keyId` and `secret` are only used to prove that neither
 * lands in the synthesized files.
 *
 * @param {{ baseUrl?: string, account?: string, keyId: string, secret: string,
 *   subAccount?: string, log?: (line: string) => void, outdir?: string }} options
 *   `baseUrl` or `account` is baked into the stack (it is not secret). `outdir`: where to
 *   synthesize (kept); by default a temporary directory, removed afterwards.
 * @returns {Promise<{ stackDir: string | undefined, dataSources: string[], outputs: string[],
 *   sensitiveOutputs: string[], secretInSynthesizedFiles: boolean,
 *   keyIdInSynthesizedFiles: boolean, tokensFetchedAtSynth: number }>}
 */
export async function run({
  baseUrl,
  account,
  keyId,
  secret,
  subAccount,
  log = console.log,
  outdir,
}) {
  const dir = outdir ?? mkdtempSync(join(tmpdir(), 'lacework-cdktf-stack-'));
  try {
    const { stackDir, configFile } = buildApp({
      outdir: dir,
      ...(baseUrl ? { baseUrl } : { account }),
      subAccount,
    });
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    const token = config.data['lacework-auth_token'].lacework;
    const [provider] = config.provider['lacework-auth'];
    const profile = config.data.http.user_profile;
    const requirement = config.terraform.required_providers['lacework-auth'];

    log(
      `cdktf-stack: synthesized stack "${STACK_NAME}" (cdktf 0.21); no token requested at synth time`,
    );
    log(`provider "lacework-auth" (alias ${provider.alias}): base_url = ${provider.base_url}`);
    log(
      '  no key in the stack: the provider reads LW_API_KEY and LW_API_SECRET where Terraform runs',
    );
    log(`data "lacework-auth_token" "lacework": expiry_time = ${token.expiry_time}`);
    log(`data "http" "user_profile": GET ${profile.url}`);
    log(`  Authorization: ${profile.request_headers.Authorization}`);
    const outputs = Object.keys(config.output);
    const sensitiveOutputs = outputs.filter((name) => config.output[name].sensitive === true);
    log(
      `outputs: ${outputs.map((o) => (sensitiveOutputs.includes(o) ? `${o} (sensitive)` : o)).join(', ')}`,
    );
    log(`provider: ${requirement.source} ${requirement.version}`);

    // The point of the construct: no secret in cdktf.out. Check every file, not just cdk.tf.json.
    const files = filesBelow(dir).map((file) => readFileSync(file, 'utf8'));
    const secretInSynthesizedFiles = files.some((text) => text.includes(secret));
    const keyIdInSynthesizedFiles = files.some((text) => text.includes(keyId));
    if (secretInSynthesizedFiles) throw new Error('the secret was found in the synthesized files');
    log(
      `checked ${files.length} synthesized files: secret ${secretInSynthesizedFiles ? 'FOUND' : 'absent'}, key id ${keyIdInSynthesizedFiles ? 'present' : 'absent'}`,
    );
    if (outdir) {
      log(
        `run it: npx lacework-auth-terraform-provider install && cd ${relative(process.cwd(), stackDir) || '.'} && LW_API_KEY=... LW_API_SECRET=... terraform init && terraform apply`,
      );
    }
    return {
      stackDir: outdir ? stackDir : undefined,
      dataSources: Object.entries(config.data).flatMap(([type, sources]) =>
        Object.keys(/** @type {object} */ (sources)).map((name) => `${type}.${name}`),
      ),
      outputs,
      sensitiveOutputs,
      secretInSynthesizedFiles,
      keyIdInSynthesizedFiles,
      tokensFetchedAtSynth: 0,
    };
  } finally {
    if (!outdir) rmSync(dir, { recursive: true, force: true });
  }
}

// `node src/main.js`: synthesizes for the account of LW_* when they are set, else for the embedded
// emulator (whose URL the stack then holds).
runAsScript(import.meta.url, 'cdktf-stack', {
  lacework: ({ apiServerUrl, account, keyId, secret, subAccount }) =>
    run({
      ...(apiServerUrl ? { baseUrl: apiServerUrl } : { account }),
      keyId,
      secret,
      subAccount,
      outdir: OUTDIR,
    }),
  emulator: async (key) => {
    const summary = await run({ ...key, outdir: OUTDIR });
    console.log(
      'cdktf-stack: this stack points at the emulator, which stops now; set LW_ACCOUNT, LW_API_KEY and LW_API_SECRET to synthesize it for your account',
    );
    return summary;
  },
});
