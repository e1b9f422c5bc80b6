// A tiny stand-in for the Lacework API: a token endpoint and a small JSON answer for everything
// else. No rate limit, no token checks beyond presence: the bench measures the proxies.
import http from 'node:http';

const TOKEN = 'bench-token-0123456789abcdef0123456789abcdef0123456789';
const BODY = JSON.stringify({ data: [{ username: 'bench@example.com', orgAccess: false }] });

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/v2/access/tokens') {
    req.resume();
    req.on('end', () => {
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ expiresAt, token: TOKEN }));
    });
    return;
  }
  req.resume();
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"message":"Unauthorized"}');
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(BODY),
    'ratelimit-limit': '480',
    'ratelimit-remaining': '479',
  });
  res.end(BODY);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${server.address().port}`, token: TOKEN });
});
process.on('disconnect', () => process.exit(0));
