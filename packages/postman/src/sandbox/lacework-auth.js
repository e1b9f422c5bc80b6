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
  const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
  const MAX_TOKEN_LENGTH = 8192;

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
  // hide the next iteration's data or a changed environment. Returns the value and its scope.
  function lookup(name) {
    const sources = [pm.iterationData, pm.environment, pm.collectionVariables, pm.globals];
    for (let i = 0; i < sources.length; i += 1) {
      const source = sources[i];
      if (source && typeof source.has === 'function' && source.has(name)) {
        const value = source.get(name);
        return {
          value: value === undefined || value === null ? '' : String(value).trim(),
          scope: i,
        };
      }
    }
    return { value: '', scope: -1 };
  }

  function read(name) {
    return lookup(name).value;
  }

  function isLoopback(hostname) {
    return hostname === 'localhost' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  }

  // *.lacework.net with one to three labels before it, as core's resolveBaseUrl() accepts.
  const LACEWORK_HOST = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.){1,3}lacework\.net$/;
  // A host name every URL parser reads the same way: DNS labels, or an IPv6 literal in brackets.
  // Anything else (`@`, `\`, `%`, spaces, `{{`) is where parsers disagree about the host.
  const HOST =
    /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?\.?$|^\[[0-9a-f:.]+\]$/;
  // scheme://host[:port] followed by the path, query or fragment (or nothing): the only form of
  // URL whose origin this script decides on. The runner's own parser (postman-url-encoder, Node's
  // legacy url.parse) reads such a URL's host and port the same way.
  const STRICT_URL =
    /^([a-z][a-z0-9+.-]*):\/\/([^/?#:[\]]*|\[[^\]/?#]*\])(?::(\d{1,5}))?([/?#][^\s\\]*)?$/i;

  // The origin of a URL in this strict form, default port filled in, host lower-cased and without
  // a trailing dot (the same DNS name); undefined for any URL not in that form.
  function strictOrigin(url) {
    const match = STRICT_URL.exec(url);
    if (!match) return undefined;
    const scheme = match[1].toLowerCase();
    const host = match[2].toLowerCase().replace(/\.$/, '');
    if (!HOST.test(host) || (scheme !== 'https' && scheme !== 'http')) return undefined;
    const port = match[3] === undefined ? (scheme === 'https' ? 443 : 80) : Number(match[3]);
    if (port < 1 || port > 65535) return undefined;
    const rest = match[4] || '';
    return {
      scheme: scheme,
      hostname: host.replace(/^\[|\]$/g, ''),
      origin: `${scheme}://${host}:${port}`,
      path: rest.split(/[?#]/)[0] || '/',
    };
  }

  // Only the API: /api/v2 and below, with no dot segment or encoded slash that a server could
  // read as a path outside it.
  function isApiPath(path) {
    if (path !== '/api/v2' && path.indexOf('/api/v2/') !== 0) return false;
    return !/(^|\/)(\.|%2e){1,2}(\/|$)|%2f|%5c/i.test(path);
  }

  // The same normalisation as resolveBaseUrl() in core: `acme` → https://acme.lacework.net, a host
  // or URL → its origin (a path, query or fragment is ignored). http:// only for loopback hosts, or
  // the secret would travel in clear text. Other hosts than *.lacework.net and loopback get the
  // secret only with an explicit opt-in (core: only a `baseUrl` given as such, never an account
  // name). User input is never quoted in these messages (it may be a misplaced secret), except a
  // host name of the expected shape.
  function normalizeBaseUrl(value, allowAnyHost, secrets) {
    if (/[{}]/.test(value)) {
      return {
        error: `\`${names.baseUrl}\` contains \`{{\` or \`}}\`: it must be the URL itself (https://<account>.lacework.net) or an account name, not a reference to another variable.`,
      };
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters
    if (/[\s\u0000-\u001f\u007f\\]/.test(value)) {
      return {
        error: `\`${names.baseUrl}\` contains spaces, control characters or a backslash (${value.length} characters, not shown). Set it to https://<account>.lacework.net or an account name.`,
      };
    }
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(value);
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
    if (scheme !== 'https' && scheme !== 'http') {
      return { error: `\`${names.baseUrl}\` must be an https:// URL or an account name.` };
    }
    const parsed = strictOrigin(`${scheme}://${authority}`);
    if (!parsed) {
      return {
        error: `\`${names.baseUrl}\` is not a valid URL or account name (${value.length} characters, not shown). Use https://<account>.lacework.net or an account name such as acme.`,
      };
    }
    const hostname = parsed.hostname;
    const shownHost = quoteHost(hostname, secrets);
    if (scheme === 'http' && !isLoopback(hostname)) {
      return {
        error: `\`${names.baseUrl}\` uses http:// for ${shownHost}; use https:// (http:// is only allowed for localhost).`,
      };
    }
    if (!allowAnyHost && !isLoopback(hostname) && !LACEWORK_HOST.test(hostname)) {
      return {
        error: `\`${names.baseUrl}\` points at ${shownHost}, which is not a *.lacework.net host, so the API secret is not sent there. Use https://<account>.lacework.net, or, for a proxy you trust, set \`${names.allowAnyHost}\` to true in the same place as \`${names.baseUrl}\`.`,
      };
    }
    const host = hostname.indexOf(':') === -1 ? hostname : `[${hostname}]`;
    const defaultPort = scheme === 'https' ? ':443' : ':80';
    const port = parsed.origin.slice(parsed.origin.lastIndexOf(':'));
    return {
      url: `${scheme}://${host}${port === defaultPort ? '' : port}`,
      origin: parsed.origin,
      hostname: hostname,
    };
  }

  // Messages quote user input only when it is short and has the expected shape; anything else may
  // be a secret pasted into the wrong variable, and is described instead.
  function quoteHost(hostname, secrets) {
    if (hostname.length <= 100 && HOST.test(hostname) && !echoesSecret(hostname, secrets)) {
      return hostname;
    }
    return `a host name of ${hostname.length} characters (not shown)`;
  }

  // The request as the runner will send it: its URL with variables resolved as Postman resolves
  // them (local, iteration data, environment, collection, globals). It is a Lacework request when
  // that URL has lw_base_url's scheme, host and port, and a path under /api/v2; nothing else
  // counts (not where {{lw_base_url}} appears in the URL, not a *.lacework.net host of another
  // account). A URL this script cannot read unambiguously is not a Lacework request.
  function isLaceworkRequest(base) {
    if (!base) return false;
    const target = strictOrigin(pm.variables.replaceIn(pm.request.url.toString()));
    return Boolean(target && target.origin === base.origin && isApiPath(target.path));
  }

  // A request whose URL starts with {{lw_base_url}} is meant for Lacework: when the variables are
  // missing or wrong it fails with the reason instead of going out.
  function targetsBaseUrl() {
    return pm.request.url.toString().indexOf(`{{${names.baseUrl}}}`) === 0;
  }

  // Key IDs are not secret, but a secret pasted into lw_key_id must not come back: one that looks
  // like a secret (starts with `_`) or holds 8 characters of the secret in a row is not shown.
  function shortKeyId(keyId, secret) {
    if (keyId.charAt(0) === '_' || echoesSecret(keyId, [secret]) || !/^[\w.-]+$/.test(keyId)) {
      return '(key ID not shown: it looks like a secret or has unusual characters)';
    }
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

  const SCOPE_NAMES = [
    'the iteration data',
    'the environment',
    'the collection variables',
    'globals',
  ];

  function readCredentials() {
    const missing = [];
    const baseUrlFound = lookup(names.baseUrl);
    const baseUrlValue = baseUrlFound.value;
    const keyId = read(names.keyId);
    const secretFound = lookup(names.secret);
    const secret = secretFound.value;
    // lw_allow_any_host vouches only for the lw_base_url set next to it: a data file or a
    // collection that sets another lw_base_url does not inherit the environment's opt-in.
    const allowAnyHostFound = lookup(names.allowAnyHost);
    const allowAnyHost =
      allowAnyHostFound.value.toLowerCase() === 'true' &&
      allowAnyHostFound.scope === baseUrlFound.scope;
    const base = baseUrlValue ? normalizeBaseUrl(baseUrlValue, allowAnyHost, [secret]) : {};
    // The base URL, when valid, even if other variables are missing: it decides which requests
    // are Lacework requests.
    const usable = base.url ? base : undefined;
    if (!baseUrlValue) missing.push(`\`${names.baseUrl}\``);
    if (!keyId) missing.push(`\`${names.keyId}\``);
    if (!secret) missing.push(`\`${names.secret}\``);
    if (missing.length > 0) {
      return {
        base: usable,
        error: [
          'missing variable',
          `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set. Set ${missing.length > 1 ? 'them' : 'it'} in your environment (mark \`${names.secret}\` as secret), or pass --env-var to newman or the Postman CLI.`,
        ],
      };
    }
    if (base.error) return { error: ['invalid base URL', base.error] };
    // Where the secret goes is decided where the secret is set: a scope that overrides it (a data
    // file over the environment, the environment over globals) cannot point it at another host.
    if (baseUrlFound.scope < secretFound.scope) {
      return {
        error: [
          'base URL overrides the secret',
          `\`${names.baseUrl}\` is set in ${SCOPE_NAMES[baseUrlFound.scope]}, which overrides ${SCOPE_NAMES[secretFound.scope]} where \`${names.secret}\` is set. The secret goes only to a \`${names.baseUrl}\` set in the same place as \`${names.secret}\` (or in a scope it overrides). Move \`${names.baseUrl}\` next to \`${names.secret}\`, or remove it from ${SCOPE_NAMES[baseUrlFound.scope]}.`,
        ],
      };
    }

    const expiryText = read(names.expiryTime);
    let expiryTime = DEFAULT_EXPIRY_TIME;
    if (expiryText) {
      expiryTime = Number(expiryText);
      if (!/^\d+$/.test(expiryText) || expiryTime < 1 || expiryTime > MAX_EXPIRY_TIME) {
        const got = /^-?\d{1,12}$/.test(expiryText)
          ? expiryText
          : `a value of ${expiryText.length} characters that is not a whole number (not shown)`;
        return {
          base: usable,
          error: [
            'invalid expiry time',
            `\`${names.expiryTime}\` must be an integer from 1 to ${MAX_EXPIRY_TIME} (seconds), got ${got}.`,
          ],
        };
      }
    }
    const subAccount = read(names.subAccount);
    // Sent as the Account-Name header: a name, never a secret pasted into the wrong variable.
    if (
      subAccount &&
      (!/^[a-z0-9][\w.-]{0,99}$/i.test(subAccount) || echoesSecret(subAccount, [secret]))
    ) {
      return {
        base: usable,
        error: [
          'invalid sub-account',
          `\`${names.subAccount}\` must be a sub-account name (letters, digits, -, _ and . only); its value (${subAccount.length} characters) is not shown. Leave it empty to use the account itself.`,
        ],
      };
    }
    const orgAccess = read(names.orgAccess).toLowerCase() === 'true';
    return {
      base: usable,
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
        const key = `\`${shortKeyId(credentials.keyId, credentials.secret)}\``;
        const shownUrl =
          quoteHost(credentials.hostname, secrets) === credentials.hostname
            ? tokenUrl
            : `of \`${names.baseUrl}\``;
        if (error) {
          const reason = redact(error.code || error.message || String(error), secrets);
          return done([
            'Lacework unreachable',
            `could not reach the Lacework token endpoint ${shownUrl} (${reason}). Check \`${names.baseUrl}\` and your network or proxy settings.`,
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
          const parsed = strictOrigin(location);
          const target = parsed ? quoteHost(parsed.hostname, secrets) : '';
          return done([
            'token endpoint redirected',
            `the Lacework token endpoint answered HTTP ${status}, a redirect${target ? ` to ${target}` : ''}, which Lacework does not send. It was not followed, and the API secret was not sent to its target. Set \`${names.baseUrl}\` to your account's API URL (https://<account>.lacework.net).`,
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
        // Only an RFC 6750 bearer token (b64token) goes into a header: no line break, space or
        // `{{…}}`, which the runner would resolve as a variable (`{{lw_secret}}`).
        if (body.token.length > MAX_TOKEN_LENGTH || !BEARER_TOKEN.test(body.token)) {
          return done([
            'token not usable',
            `the token endpoint answered HTTP ${status} with a token that is not a bearer token (${body.token.length} characters, not shown). Check that \`${names.baseUrl}\` points at your Lacework account.`,
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
    // Requests resolve {{lw_base_url}} after this script: give them the normalised URL, and
    // decide on the URL they will have. A stale local value from an earlier request must not stay.
    if (credentials.base) pm.variables.set(names.baseUrl, credentials.base.url);
    else if (typeof pm.variables.unset === 'function') pm.variables.unset(names.baseUrl);
    if (!isLaceworkRequest(credentials.base)) {
      // Another host (or not the API): no exchange, no secret sent, and {{lw_token}} resolves to
      // nothing, so inherited bearer auth adds no Authorization header. A header the request sets
      // itself is left as it is.
      pm.variables.set(names.token, '');
      // A request starting with {{lw_base_url}} while that variable is missing or refused is
      // meant for Lacework: fail it with the reason instead of sending it.
      if (!credentials.base && credentials.error && targetsBaseUrl()) {
        fail(credentials.error[0], credentials.error[1]);
      }
      return;
    }
    if (credentials.error) return fail(credentials.error[0], credentials.error[1]);

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
          `${PREFIX}exchanged API key \`${shortKeyId(credentials.keyId, credentials.secret)}\` for a token valid until ${result.expiresAt}.`,
        );
      }
      useToken(result.token, credentials);
    });
  }

  // A generated collection does not follow redirects (the runners keep Authorization when a
  // redirect changes only the port or the scheme). Say why a Lacework request ended in a 3xx when
  // it pointed at another origin. A followed redirect is not seen here.
  function reportRedirect(credentials, status) {
    const location = status >= 300 && status < 400 && pm.response.headers.get('Location');
    if (!location) return;
    const target = strictOrigin(String(location));
    if (target && target.origin === credentials.base.origin) return;
    // A relative reference (no scheme, not `//host`) stays on the same origin.
    if (!target && !/^[a-z][a-z0-9+.-]*:|^\s*[/\\]{2}/i.test(String(location))) return;
    const where = target
      ? `another origin (${quoteHost(target.hostname, [credentials.secret])})`
      : 'a URL that is not plain https://host/…';
    pm.test(`${PREFIX}redirect not followed`, () => {
      throw new Error(
        `${PREFIX}Lacework answered HTTP ${status}, a redirect to ${where}. It was not followed, so the token was not sent there.`,
      );
    });
  }

  function afterResponse() {
    const credentials = readCredentials();
    if (!pm.response || !isLaceworkRequest(credentials.base)) return;
    const requestId = pm.info.requestId;
    const status = pm.response.code;
    if (status !== 401 && status !== 403) {
      if (store.get(names.retried) === requestId) store.unset(names.retried);
      reportRedirect(credentials, status);
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
