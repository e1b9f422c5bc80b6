import { InvalidOptionError, resolveBaseUrl } from '@lacework-auth/core';
import type { CdkLibrary, ConditionLike } from './library.js';

/** The base URL of the token data source, and the checks Terraform runs on it at plan time. */
export interface StackBaseUrl {
  /** `https://acme.lacework.net`, or a Terraform expression that evaluates to one. */
  readonly baseUrl: string;
  /** Preconditions for values only known at plan time (variables); none for literals. */
  readonly preconditions: ConditionLike[];
}

// The same rules as core's resolveBaseUrl, written as Terraform expressions for values that are
// only known at plan time. Regexes avoid backslashes so they survive JSON and HCL escaping.
const LACEWORK_URL =
  '^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?([.][a-z0-9]([a-z0-9-]*[a-z0-9])?){0,2}[.]lacework[.]net$';
const ANY_URL =
  '^(https://[^/?#@ ]+|http://(localhost|127[.][0-9]+[.][0-9]+[.][0-9]+|[[]::1[]])(:[0-9]+)?)$';

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

function accountBaseUrl(lib: CdkLibrary, account: string): StackBaseUrl {
  if (!lib.Token.isUnresolved(account)) {
    requireString(account, 'account');
    return { baseUrl: resolveBaseUrl(account), preconditions: [] };
  }
  const { Fn } = lib;
  const host = Fn.replace(
    Fn.replace(Fn.lower(Fn.trimspace(account)), '/^https?:[/][/]/', ''),
    '/[/?#].*$/',
    '',
  );
  const url = Fn.format('https://%s.lacework.net', [Fn.trimsuffix(host, '.lacework.net')]);
  return {
    baseUrl: url,
    preconditions: [
      {
        condition: Fn.can(Fn.regex(LACEWORK_URL, url)),
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
  // Keep scheme://host[:port]; drop a path, query or trailing slash as core does.
  const url = Fn.replace(Fn.trimspace(baseUrl), '/^([a-zA-Z]+://[^/?#]+).*$/', '$1');
  return {
    baseUrl: url,
    preconditions: [
      {
        condition: Fn.can(Fn.regex(ANY_URL, url)),
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
