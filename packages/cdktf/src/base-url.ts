import { InvalidOptionError, resolveBaseUrl } from '@lacework-auth/core';
import { PATTERNS } from '@lacework-auth/core/protocol';
import type { CdkLibrary, ConditionLike } from './library.js';

/** The base URL of the token data source, and the checks Terraform runs on it at plan time. */
export interface StackBaseUrl {
  /** `https://acme.lacework.net`, or a Terraform expression that evaluates to one. */
  readonly baseUrl: string;
  /** Preconditions for values only known at plan time (variables); none for literals. */
  readonly preconditions: ConditionLike[];
}

// Values only known at plan time are checked by Terraform with the base-URL rules of core's
// protocol module, as its RE2 patterns (PATTERNS): a value passes when it matches the setting's
// pattern and none of the refusals. The conformance table runs these expressions under Terraform.

/**
 * Resolves `account` / `baseUrl` (exactly one) into the API base URL. Literals go through core's
 * `resolveBaseUrl` at synth time; tokens (e.g. `TerraformVariable`s) become a Terraform
 * expression plus a precondition with the same rules, checked at plan time.
 */
export function stackBaseUrl(
  lib: CdkLibrary,
  account: string | undefined,
  baseUrl: string | undefined,
): StackBaseUrl {
  if (account !== undefined && baseUrl !== undefined) {
    throw new InvalidOptionError(
      'Set either `account` or `baseUrl`, not both: `account` ("acme") is for *.lacework.net, `baseUrl` for any other host (a proxy or the emulator).',
      { option: 'baseUrl' },
    );
  }
  if (account === undefined && baseUrl === undefined) {
    throw new InvalidOptionError(
      'Set `account` (e.g. "acme" for https://acme.lacework.net) or `baseUrl`. With LaceworkKeyVariables({ account: true }) it can come from TF_VAR_lacework_account.',
      { option: 'baseUrl' },
    );
  }
  if (account !== undefined) return accountBaseUrl(lib, account);
  return explicitBaseUrl(lib, baseUrl as string);
}

/** `value` (lower-cased, trimmed) passes `pattern` and none of the protocol's refusals. */
function passes(lib: CdkLibrary, value: string, pattern: string, refusals: string[]) {
  const { Fn, Op } = lib;
  return refusals.reduce(
    (condition, refusal) => Op.and(condition, Op.not(Fn.can(Fn.regex(refusal, value)))),
    Fn.can(Fn.regex(pattern, value)),
  );
}

const REFUSALS = [
  PATTERNS.tooManyLaceworkLabels,
  PATTERNS.idnLabel,
  PATTERNS.keyMaterial,
  PATTERNS.hexNumberLabel,
];

function accountBaseUrl(lib: CdkLibrary, account: string): StackBaseUrl {
  if (!lib.Token.isUnresolved(account)) {
    requireString(account, 'account');
    return { baseUrl: resolveBaseUrl(account), preconditions: [] };
  }
  const { Fn } = lib;
  const value = Fn.lower(Fn.trimspace(account));
  // `https://acme.fra.lacework.net:8443/x` → `acme.fra.lacework.net:8443`
  const authority = Fn.replace(Fn.replace(value, '/^https:[/][/]/', ''), '/[/?#].*$/', '');
  const host = Fn.trimsuffix(
    Fn.trimsuffix(Fn.replace(authority, '/:[0-9]*$/', ''), '.'),
    '.lacework.net',
  );
  // The port as typed, but not https's own.
  const port = Fn.replace(Fn.replace(authority, '/^[^:]*/', ''), '/^:443$/', '');
  const url = Fn.format('https://%s.lacework.net%s', [host, port]);
  return {
    baseUrl: url,
    preconditions: [
      {
        condition: passes(lib, value, PATTERNS.account, [...REFUSALS, PATTERNS.bareLoopback]),
        errorMessage: `The Lacework account must look like "acme", "acme.lacework.net" or "acme.fra.lacework.net" (it became ${url}). Check the \`account\` value (e.g. TF_VAR_lacework_account).`,
      },
    ],
  };
}

function explicitBaseUrl(lib: CdkLibrary, baseUrl: string): StackBaseUrl {
  if (!lib.Token.isUnresolved(baseUrl)) {
    requireString(baseUrl, 'baseUrl');
    return { baseUrl: resolveBaseUrl(baseUrl, { allowAnyHost: true }), preconditions: [] };
  }
  const { Fn } = lib;
  const value = Fn.lower(Fn.trimspace(baseUrl));
  // scheme://host[:port], a path, query or trailing dot dropped, and the scheme's own port.
  const origin = Fn.replace(
    Fn.replace(value, '/^([a-z]+://[^/?#]+).*$/', '$1'),
    '/[.](:[0-9]+)?$/',
    '$1',
  );
  const url = Fn.replace(
    Fn.replace(origin, '/^(https://[^:]+):443$/', '$1'),
    '/^(http://[^:]+):80$/',
    '$1',
  );
  return {
    baseUrl: url,
    preconditions: [
      {
        condition: passes(lib, value, PATTERNS.baseUrl, REFUSALS),
        errorMessage: `The Lacework base URL must be https://host[:port] (http:// only for loopback hosts such as 127.0.0.1, so the API key never travels in clear text); got ${url}. Check the \`baseUrl\` value (e.g. TF_VAR_lacework_base_url).`,
      },
    ],
  };
}

function requireString(value: unknown, name: string): void {
  if (typeof value !== 'string') {
    throw new InvalidOptionError(
      `\`${name}\` must be a string (or a Terraform token such as a variable), got ${value === null ? 'null' : typeof value}.`,
      { option: name },
    );
  }
}
