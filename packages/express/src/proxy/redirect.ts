/** Where the proxy forwarded a request: to rewrite Lacework's redirects in its own terms. */
export interface RedirectScope {
  /** The upstream URL the request went to (base URL, `/api/v2`, path and query). */
  upstreamUrl: string;
  /** The base URL's path plus `/api/v2` (`prefix` of the proxy), without a trailing slash. */
  prefix: string;
  /** Where the proxy is mounted in the app (Express's `req.baseUrl`), e.g. `/lacework`. */
  mount: string;
}

/**
 * The `Location` to send the client for a redirect from Lacework, or `undefined` when it may not
 * be passed on. A browser follows a redirect by itself (`fetch` included), so a `Location` on
 * another origin would make the app's page load that origin's answer as if it were Lacework's,
 * and one elsewhere on Lacework's origin would land on an unrelated route of the app. Only a
 * target on the upstream's origin under its `/api/v2/` is passed on, rewritten to the same route
 * under the proxy's mount point, so that following it comes back through the proxy and all of its
 * checks. User info in the target is refused too.
 *
 * @example
 * ```ts
 * const scope = { upstreamUrl: 'https://acme.lacework.net/api/v2/A', prefix: '/api/v2', mount: '/lw' };
 * relayedLocation('/api/v2/B?x=1', scope);            // '/lw/B?x=1'
 * relayedLocation('https://evil.example/api/v2/B', scope); // undefined
 * ```
 */
export function relayedLocation(location: string, scope: RedirectScope): string | undefined {
  let target: URL;
  const upstream = new URL(scope.upstreamUrl);
  try {
    target = new URL(location, upstream);
  } catch {
    return undefined;
  }
  if (target.origin !== upstream.origin || target.username !== '' || target.password !== '') {
    return undefined;
  }
  if (!target.pathname.startsWith(`${scope.prefix}/`)) return undefined;
  return `${scope.mount}${target.pathname.slice(scope.prefix.length)}${target.search}`;
}
