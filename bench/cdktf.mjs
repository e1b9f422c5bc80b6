// CDKTF synth: a stack with the LaceworkAccessToken construct vs the same stack with a bare
// `http` data source doing the exchange by hand (variables, headers, body), target ≤ 1.1×.
// Each sample builds a new App and synthesizes it into a temporary directory; cases alternate.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Terraform expressions
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LaceworkAccessToken, LaceworkKeyVariables } from '@lacework-auth/cdktf';
import {
  App,
  Fn,
  TerraformDataSource,
  TerraformOutput,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
} from 'cdktf';
import { median, quick, writeResult } from './lib/support.mjs';

const ROUNDS = quick ? 5 : 41;
const BASE_URL = 'https://acme.lacework.net';

/** The rest of the stack, the same in both: examples/cdktf-stack's API call and outputs. */
function rest(stack, { authorization, expiresAt, token }) {
  const profile = new TerraformDataSource(stack, 'user_profile', {
    terraformResourceType: 'http',
    terraformGeneratorMetadata: { providerName: 'http' },
  });
  profile.addOverride('url', `${BASE_URL}/api/v2/UserProfile`);
  profile.addOverride('request_headers', { Authorization: authorization });
  new TerraformOutput(stack, 'expires_at', { value: expiresAt });
  new TerraformOutput(stack, 'username', {
    value: '${jsondecode(data.http.user_profile.response_body).data[0].username}',
  });
  new TerraformOutput(stack, 'token', { value: token, sensitive: true });
}

function construct(stack) {
  const key = new LaceworkKeyVariables(stack, 'key');
  const lacework = new LaceworkAccessToken(stack, 'lacework', {
    ...key.config(),
    baseUrl: BASE_URL,
  });
  rest(stack, {
    authorization: lacework.authorizationHeader,
    expiresAt: lacework.expiresAt,
    token: lacework.token,
  });
}

function bare(stack) {
  const keyId = new TerraformVariable(stack, 'lacework_key_id', { type: 'string' });
  const secret = new TerraformVariable(stack, 'lacework_secret', {
    type: 'string',
    sensitive: true,
  });
  const token = new TerraformDataSource(stack, 'lacework', {
    terraformResourceType: 'http',
    terraformGeneratorMetadata: { providerName: 'http' },
  });
  token.addOverride('url', `${BASE_URL}/api/v2/access/tokens`);
  token.addOverride('method', 'POST');
  token.addOverride('request_headers', {
    'X-LW-UAKS': secret.stringValue,
    'Content-Type': 'application/json',
  });
  token.addOverride('request_body', Fn.jsonencode({ keyId: keyId.stringValue, expiryTime: 3600 }));
  new TerraformProvider(stack, 'http', {
    terraformResourceType: 'http',
    terraformProviderSource: 'hashicorp/http',
    terraformGeneratorMetadata: { providerName: 'http', providerVersionConstraint: '~> 3.5' },
  });
  rest(stack, {
    authorization: 'Bearer ${jsondecode(data.http.lacework.response_body).token}',
    expiresAt: '${jsondecode(data.http.lacework.response_body).expiresAt}',
    token: '${jsondecode(data.http.lacework.response_body).token}',
  });
}

function synth(build) {
  const outdir = mkdtempSync(join(tmpdir(), 'lw-bench-cdktf-'));
  try {
    const started = performance.now();
    const app = new App({ outdir });
    build(new TerraformStack(app, 'stack'));
    app.synth();
    return performance.now() - started;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const samples = { construct: [], bare: [] };
for (let round = -3; round < ROUNDS; round++) {
  const order = round % 2 ? ['construct', 'bare'] : ['bare', 'construct'];
  for (const name of order) {
    const ms = synth(name === 'construct' ? construct : bare);
    if (round >= 0) samples[name].push(ms); // three warm-up rounds
  }
}
const ratios = samples.construct.map((ms, i) => ms / samples.bare[i]);
const result = {
  constructMs: median(samples.construct),
  bareMs: median(samples.bare),
  ratio: median(ratios),
  target: 1.1,
  rounds: ROUNDS,
  samples,
};
result.met = result.ratio <= result.target;
console.log(`\nCDKTF synth, median of ${ROUNDS} rounds`);
console.log(
  `  with LaceworkAccessToken ${result.constructMs.toFixed(1)} ms, bare http data source ${result.bareMs.toFixed(1)} ms: ${result.ratio.toFixed(2)}× (target ≤ 1.1: ${result.met ? 'met' : 'MISSED'})`,
);
console.log(`results written to ${await writeResult('cdktf', result)}`);
