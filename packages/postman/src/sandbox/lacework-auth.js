// Lacework auth for Postman and newman: exchanges the API key (keyId + secret) for a bearer token,
// caches it, refreshes it ahead of expiry and never lets a Lacework request go out without it.
//
// One script serves both events: installed as the collection's pre-request script it supplies the
// token; installed as its test script it drops a token that Lacework refused (401/403) and, in a
// collection run, runs that request once more with a fresh token.
//
// It runs inside Postman's sandbox (the app's, and newman 6.2's sandbox 4.7), so it is plain
// ES2017: callback form of pm.sendRequest, no promises, no top-level await, no imports. It must
// never print the secret or the token: messages name variables, never their values.
((config) => {
  const settings = Object.assign(
    {
      // Where the token is cached: 'collection', 'environment' or 'globals'.
      store: 'collection',
      // Fixed refresh margin in ms; null means the rule shared with @lacework-auth/core.
      refreshWindowMs: null,
      // Run a request once more after Lacework refused a cached token (collection runs only).
      retryOnUnauthorized: true,
      // Print one line per token exchange (never the token).
      log: true,
    },
    config,
  );
  const names = Object.assign(
    {
      baseUrl: 'lw_base_url',
      keyId: 'lw_key_id',
      secret: 'lw_secret',
      subAccount: 'lw_sub_account',
      orgAccess: 'lw_org_access',
      expiryTime: 'lw_expiry_time',
      allowAnyHost: 'lw_allow_any_host',
      token: 'lw_token',
      tokenExpiresAt: 'lw_token_expires_at',
      tokenIssuedAt: 'lw_token_issued_at',
      tokenFor: 'lw_token_for',
      retried: 'lw_auth_retried',
      fresh: 'lw_auth_fresh',
      blocked: 'lw_auth_blocked',
    },
    settings.variables,
  );

  const TOKEN_PATH = '/api/v2/access/tokens';
  const DEFAULT_EXPIRY_TIME = 3600;
  const MAX_EXPIRY_TIME = 86400;
  const PREFIX = 'Lacework auth: ';

  const scopes = {
    collection: pm.collectionVariables,
    environment: pm.environment,
    globals: pm.globals,
  };
  const store = scopes[settings.store] || pm.collectionVariables;

  // Same rule as refreshWindowMs() in @lacework-auth/core: 10 % of the lifetime, at least 1 s (or
  // half the lifetime for tokens shorter than 2 s), at most 5 minutes.
  function refreshWindowMs(lifetimeMs) {
    if (typeof settings.refreshWindowMs === 'number') return settings.refreshWindowMs;
    return Math.min(300000, Math.max(lifetimeMs * 0.1, Math.min(1000, lifetimeMs / 2)));
  }

  // Postman's precedence without the local scope: this script writes local variables (the
  // normalised base URL, the token), and newman keeps them for the whole run, where they would
  // hide the next iteration's data or a changed environment.
  function read(name) {
    const sources = [pm.iterationData, pm.environment, pm.collectionVariables, pm.globals];
    for (let i = 0; i < sources.length; i += 1) {
      const source = sources[i];
      if (source && typeof source.has === 'function' && source.has(name)) {
        const value = source.get(name);
        return value === undefined || value === null ? '' : String(value).trim();
      }
    }
    return '';
  }

  function isLoopback(hostname) {
    return hostname === 'localhost' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  }

  // *.lacework.net with one to three labels before it, as core's resolveBaseUrl() accepts.
  const LACEWORK_HOST = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.){1,3}lacework\.net$/;

  // The same normalisation as resolveBaseUrl() in core: `acme` → https://acme.lacework.net, a host
  // or URL → its origin. http:// only for loopback hosts, or the secret would travel in clear text.
  // Other hosts than *.lacework.net and loopback get the secret only with an explicit opt-in
  // (core: only a `baseUrl` given as such, never an account name).
  function normalizeBaseUrl(value, allowAnyHost, secrets) {
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)/i.exec(value);
    let scheme = 'https';
    let authority;
    if (match) {
      scheme = match[1].toLowerCase();
      authority = match[2];
    } else {
      authority = value.split(/[/?#]/)[0];
      if (!/[.:]/.test(authority) && authority.toLowerCase() !== 'localhost') {
        authority = `${authority}.lacework.net`;
      }
    }
    authority = authority.toLowerCase();
    if (authority.indexOf('@') !== -1) {
      return { error: `\`${names.baseUrl}\` must not contain a user name or password.` };
    }
    const hostname = authority.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (scheme !== 'https' && scheme !== 'http') {
      return { error: `\`${names.baseUrl}\` must be an https:// URL or an account name.` };
    }
    if (scheme === 'http' && !isLoopback(hostname)) {
      return {
        error: `\`${names.baseUrl}\` uses http:// for ${hostname}; use https:// (http:// is only allowed for localhost).`,
      };
    }
    if (!allowAnyHost && !isLoopback(hostname) && !LACEWORK_HOST.test(hostname)) {
      return {
        error: `\`${names.baseUrl}\` points at ${redact(hostname, secrets)}, which is not a *.lacework.net host, so the API secret is not sent there. Use https://<account>.lacework.net, or, for a proxy you trust, set \`${names.allowAnyHost}\` to true.`,
      };
    }
    return { url: `${scheme}://${authority}`, hostname: hostname };
  }

  // Scheme, host and port of a URL (default ports filled in), like the browser's URL#origin.
  function originOf(url) {
    const match =
      /^(?:([a-z][a-z0-9+.-]*):\/\/)?(?:[^@/?#]*@)?(\[[^\]]*\]|[^/?#:]*)(?::(\d+))?/i.exec(url);
    const host = match ? match[2] : '';
    if (!host) return { hostname: '', origin: '' };
    const scheme = (match[1] || 'http').toLowerCase();
    const hostname = host.replace(/^\[|\]$/g, '').toLowerCase();
    const port = match[3] || (scheme === 'https' ? '443' : '80');
    return { hostname: hostname, origin: `${scheme}://${hostname}:${port}` };
  }

  // A request is a Lacework request when its URL uses {{lw_base_url}}, has the same origin, or
  // points at *.lacework.net. Other requests (in a collection we were injected into) are left
  // alone, and never get the token.
  function isLaceworkRequest(baseUrl) {
    const raw = pm.request.url.toString();
    if (raw.indexOf(`{{${names.baseUrl}}}`) !== -1) return true;
    const target = originOf(pm.variables.replaceIn(raw));
    if (!target.hostname) return false;
    if (baseUrl && target.origin === originOf(baseUrl).origin) return true;
    return /(^|\.)lacework\.net$/.test(target.hostname);
  }

  function shortKeyId(keyId) {
    return keyId.length > 12 ? `${keyId.slice(0, 12)}…` : keyId;
  }

  // True when `text` holds any 8 characters of a secret in a row, in any case: a cut, upper-cased
  // or partial echo, whose rest may be there in a form no redaction recognises.
  function echoesSecret(text, secrets) {
    const lower = String(text).toLowerCase();
    for (let i = 0; i < secrets.length; i += 1) {
      const secret = String(secrets[i] || '').toLowerCase();
      for (let j = 0; j + 8 <= secret.length; j += 1) {
        if (lower.indexOf(secret.slice(j, j + 8)) !== -1) return true;
      }
    }
    return false;
  }

  // Anything we echo from a server goes through here, so a secret or token reflected back in an
  // error body cannot reach the run's output: text with any piece of it is withheld altogether.
  function redact(text, secrets) {
    let result = String(text);
    if (echoesSecret(result, secrets)) return '[withheld: it echoed part of the secret]';
    for (let i = 0; i < secrets.length; i += 1) {
      const secret = secrets[i];
      if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
    }
    return result;
  }

  function clearToken() {
    store.unset(names.token);
    store.unset(names.tokenExpiresAt);
    store.unset(names.tokenIssuedAt);
    store.unset(names.tokenFor);
  }

  function useToken(token, credentials) {
    // Local scope wins over every other scope when {{lw_token}} is resolved for this request, so a
    // stale lw_token left in an environment cannot shadow the fresh one.
    pm.variables.set(names.token, token);
    if (credentials.subAccount) {
      pm.request.headers.upsert({ key: 'Account-Name', value: credentials.subAccount });
    }
    if (credentials.orgAccess) {
      pm.request.headers.upsert({ key: 'Org-Access', value: 'true' });
    }
  }

  // Throwing inside a sendRequest callback does not stop the request: it would still go out,
  // without a token. skipRequest() does stop it; the failing test tells the run why.
  function fail(summary, message) {
    pm.variables.set(names.token, '');
    const text = `${PREFIX}${message} The request was not sent.`;
    pm.test(PREFIX + summary, () => {
      throw new Error(text);
    });
    if (pm.execution && typeof pm.execution.skipRequest === 'function') {
      pm.execution.skipRequest();
    }
  }

  function readCredentials() {
    const missing = [];
    const baseUrlValue = read(names.baseUrl);
    const keyId = read(names.keyId);
    const secret = read(names.secret);
    if (!baseUrlValue) missing.push(`\`${names.baseUrl}\``);
    if (!keyId) missing.push(`\`${names.keyId}\``);
    if (!secret) missing.push(`\`${names.secret}\``);
    if (missing.length > 0) {
      return {
        error: [
          'missing variable',
          `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set. Set ${missing.length > 1 ? 'them' : 'it'} in your environment (mark \`${names.secret}\` as secret), or pass --env-var to newman or the Postman CLI.`,
        ],
      };
    }
    const allowAnyHost = read(names.allowAnyHost).toLowerCase() === 'true';
    const base = normalizeBaseUrl(baseUrlValue, allowAnyHost, [secret]);
    if (base.error) return { error: ['invalid base URL', base.error] };

    const expiryText = read(names.expiryTime);
    let expiryTime = DEFAULT_EXPIRY_TIME;
    if (expiryText) {
      expiryTime = Number(expiryText);
      if (!/^\d+$/.test(expiryText) || expiryTime < 1 || expiryTime > MAX_EXPIRY_TIME) {
        return {
          error: [
            'invalid expiry time',
            `\`${names.expiryTime}\` must be an integer from 1 to ${MAX_EXPIRY_TIME} (seconds), got ${JSON.stringify(expiryText)}.`,
          ],
        };
      }
    }
    const subAccount = read(names.subAccount);
    const orgAccess = read(names.orgAccess).toLowerCase() === 'true';
    return {
      baseUrl: base.url,
      hostname: base.hostname,
      keyId: keyId,
      secret: secret,
      subAccount: subAccount,
      orgAccess: orgAccess,
      expiryTime: expiryTime,
      // Identifies what the cached token was issued for (never the secret): changing the key,
      // account or sub-account makes the cached token unusable.
      tokenFor: [base.url, keyId, subAccount, orgAccess ? 'org' : ''].join(' '),
    };
  }

  function cachedToken(credentials) {
    const token = store.get(names.token);
    if (!token || store.get(names.tokenFor) !== credentials.tokenFor) return '';
    const expiresAt = Date.parse(store.get(names.tokenExpiresAt));
    if (!Number.isFinite(expiresAt)) return '';
    const issuedAt = Date.parse(store.get(names.tokenIssuedAt));
    const lifetime = Number.isFinite(issuedAt)
      ? expiresAt - issuedAt
      : credentials.expiryTime * 1000;
    return Date.now() < expiresAt - refreshWindowMs(lifetime) ? String(token) : '';
  }

  function readJson(response) {
    try {
      const body = response.json();
      return body !== null && typeof body === 'object' ? body : undefined;
    } catch (_error) {
      return undefined;
    }
  }

  function exchange(credentials, done) {
    const tokenUrl = credentials.baseUrl + TOKEN_PATH;
    const headers = [
      { key: 'X-LW-UAKS', value: credentials.secret },
      { key: 'Content-Type', value: 'application/json' },
      { key: 'Accept', value: 'application/json' },
    ];
    // The Go SDK sends its account headers on the token request too.
    if (credentials.subAccount) {
      headers.push({ key: 'Account-Name', value: credentials.subAccount });
    }
    if (credentials.orgAccess) headers.push({ key: 'Org-Access', value: 'true' });
    const requestedAt = Date.now();
    pm.sendRequest(
      {
        url: tokenUrl,
        method: 'POST',
        header: headers,
        body: {
          mode: 'raw',
          raw: JSON.stringify({ keyId: credentials.keyId, expiryTime: credentials.expiryTime }),
        },
      },
      (error, response) => {
        const secrets = [credentials.secret];
        const key = `\`${shortKeyId(credentials.keyId)}\``;
        if (error) {
          const reason = redact(error.code || error.message || String(error), secrets);
          return done([
            'Lacework unreachable',
            `could not reach the Lacework token endpoint ${tokenUrl} (${reason}). Check \`${names.baseUrl}\` and your network or proxy settings.`,
          ]);
        }
        const status = response.code;
        const body = readJson(response);
        const serverMessage =
          body && typeof body.message === 'string' && body.message
            ? `: ${redact(body.message, secrets)}`
            : '';
        if (status === 400 || status === 401 || status === 403) {
          return done(
            [
              'API key rejected',
              `Lacework rejected the API key ${key} (HTTP ${status}${serverMessage}). Check \`${names.keyId}\` and \`${names.secret}\`${credentials.subAccount ? ` and \`${names.subAccount}\`` : ''}, or create a new key in the Lacework console under Settings → API keys.`,
            ],
            null,
            {
              message: `Lacework rejected the API key ${key} earlier in this run (HTTP ${status}); it is not sent again. Check \`${names.keyId}\` and \`${names.secret}\`, then run again.`,
            },
          );
        }
        if (status === 429) {
          const reset =
            response.headers.get('RateLimit-Reset') || response.headers.get('Retry-After');
          const seconds = /^\d+$/.test(String(reset)) ? Number(reset) : 0;
          // Every later exchange would be refused too, and would spend more of the hourly quota.
          const until = Date.now() + (seconds > 0 && seconds <= 86400 ? seconds : 60) * 1000;
          return done(
            [
              'rate limited',
              `Lacework rate limit reached (HTTP 429) while exchanging the API key ${key}${reset ? `; RateLimit-Reset: ${redact(reset, secrets)}` : ''}. Wait before running again: Lacework allows about 480 requests per hour, the token exchange included.`,
            ],
            null,
            {
              until: until,
              message: `Lacework rate limit reached (HTTP 429) earlier in this run; no new exchange before ${new Date(until).toISOString()}.`,
            },
          );
        }
        // Seen only when the runner does not follow redirects (newman / Postman CLI
        // --ignore-redirects): followed, the redirect would already have carried X-LW-UAKS to its
        // target, because runners keep custom headers across hosts.
        if (status >= 300 && status < 400) {
          const location = String(response.headers.get('Location') || '');
          const target = /^[a-z][a-z0-9+.-]*:\/\//i.test(location)
            ? originOf(location).hostname
            : '';
          return done([
            'token endpoint redirected',
            `the Lacework token endpoint answered HTTP ${status}, a redirect${target ? ` to ${redact(target, secrets)}` : ''}, which Lacework does not send. It was not followed, and the API secret was not sent to its target. Set \`${names.baseUrl}\` to your account's API URL (https://<account>.lacework.net).`,
          ]);
        }
        if (status >= 500) {
          return done([
            'Lacework server error',
            `the Lacework token endpoint failed (HTTP ${status}${serverMessage}). Try again later.`,
          ]);
        }
        if (status < 200 || status >= 300) {
          return done([
            'unexpected answer',
            `the Lacework token endpoint answered HTTP ${status}${serverMessage}. Check \`${names.baseUrl}\`.`,
          ]);
        }
        if (!body) {
          const type = response.headers.get('Content-Type') || 'no Content-Type';
          return done([
            'answer was not JSON',
            `the token endpoint answered HTTP ${status} with ${redact(type, secrets)} instead of JSON. Check that \`${names.baseUrl}\` points at your Lacework account (https://<account>.lacework.net).`,
          ]);
        }
        if (typeof body.token !== 'string' || body.token === '') {
          return done([
            'no token in answer',
            `the token endpoint answered HTTP ${status} without a token. Check that \`${names.baseUrl}\` points at your Lacework account.`,
          ]);
        }
        const serverExpiry = Date.parse(body.expiresAt);
        if (!Number.isFinite(serverExpiry)) {
          return done([
            'no expiry in answer',
            `the token endpoint answered without a valid \`expiresAt\` (HTTP ${status}).`,
          ]);
        }
        // Trust the earlier of the server's expiry and our own clock: robust to clock skew.
        const expiresAt = Math.min(serverExpiry, requestedAt + credentials.expiryTime * 1000);
        return done(null, {
          token: body.token,
          expiresAt: new Date(expiresAt).toISOString(),
          issuedAt: new Date(requestedAt).toISOString(),
        });
      },
    );
  }

  // After a rejected key or a 429, later requests of the same run fail at once instead of asking
  // Lacework again. The note lives in the local scope: it lasts for a newman / Postman CLI run,
  // and for one request in the app (so a corrected secret is used at the next Send).
  function readBlock(credentials) {
    let block;
    try {
      block = JSON.parse(pm.variables.get(names.blocked) || 'null');
    } catch (_error) {
      return null;
    }
    if (!block || block.for !== credentials.tokenFor) return null;
    if (block.until && Date.now() >= block.until) return null;
    return block;
  }

  function beforeRequest() {
    const credentials = readCredentials();
    // Checked before the URL: a request using {{lw_base_url}} is a Lacework request even when the
    // variable is missing, and must fail instead of going out.
    if (!isLaceworkRequest(credentials.baseUrl)) {
      pm.variables.set(names.token, '');
      return;
    }
    if (credentials.error) return fail(credentials.error[0], credentials.error[1]);
    // Requests resolve {{lw_base_url}} after this script: give them the normalised URL.
    pm.variables.set(names.baseUrl, credentials.baseUrl);

    const cached = cachedToken(credentials);
    if (cached) {
      pm.variables.set(names.fresh, '');
      return useToken(cached, credentials);
    }
    const blocked = readBlock(credentials);
    if (blocked) return fail(blocked.summary, blocked.message);
    exchange(credentials, (failure, result, block) => {
      if (failure) {
        if (block) {
          pm.variables.set(
            names.blocked,
            JSON.stringify({
              for: credentials.tokenFor,
              summary: failure[0],
              message: block.message,
              until: block.until || 0,
            }),
          );
        }
        return fail(failure[0], failure[1]);
      }
      store.set(names.token, result.token);
      store.set(names.tokenExpiresAt, result.expiresAt);
      store.set(names.tokenIssuedAt, result.issuedAt);
      store.set(names.tokenFor, credentials.tokenFor);
      pm.variables.set(names.fresh, 'true');
      if (settings.log) {
        console.info(
          `${PREFIX}exchanged API key \`${shortKeyId(credentials.keyId)}\` for a token valid until ${result.expiresAt}.`,
        );
      }
      useToken(result.token, credentials);
    });
  }

  function afterResponse() {
    const credentials = readCredentials();
    if (!pm.response || !isLaceworkRequest(credentials.baseUrl)) return;
    const requestId = pm.info.requestId;
    const status = pm.response.code;
    if (status !== 401 && status !== 403) {
      if (store.get(names.retried) === requestId) store.unset(names.retried);
      return;
    }
    // Lacework answers 403 "User not authorized." for an expired or revoked token (sometimes 401).
    clearToken();
    const canRetry =
      settings.retryOnUnauthorized &&
      pm.variables.get(names.fresh) !== 'true' &&
      store.get(names.retried) !== requestId &&
      pm.execution &&
      typeof pm.execution.setNextRequest === 'function';
    if (canRetry) {
      store.set(names.retried, requestId);
      pm.execution.setNextRequest(requestId);
      console.info(
        `${PREFIX}Lacework refused the cached token (HTTP ${status}); it was dropped and "${pm.info.requestName}" runs once more with a new token.`,
      );
      return;
    }
    store.unset(names.retried);
    pm.test(`${PREFIX}token accepted`, () => {
      throw new Error(
        `${PREFIX}Lacework answered HTTP ${status} to a freshly exchanged token. The token was dropped; check that the API key may use this endpoint${credentials.subAccount ? ` and sub-account \`${credentials.subAccount}\`` : ''}.`,
      );
    });
  }

  if (pm.info.eventName === 'test') afterResponse();
  else beforeRequest();
})(typeof LACEWORK_AUTH_CONFIG === 'undefined' ? {} : LACEWORK_AUTH_CONFIG);
