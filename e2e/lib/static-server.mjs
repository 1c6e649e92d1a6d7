// A tiny static server for testing the vendored assets without the Rust
// server: /static/* from crates/web/assets, everything else from e2e/fixtures.
// Sends the same strict CSP the app is meant to send, so a violation shows up.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ASSETS_DIR = path.resolve(HERE, '../../crates/web/assets');
export const FIXTURES_DIR = path.resolve(HERE, '../fixtures');

/** The CSP Karuna's pages use: no inline script or style, nothing remote.
 * img-src needs data: for Pico's built-in icons (checkbox tick, select chevron). */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

function resolve(urlPath) {
  const clean = path.posix.normalize(decodeURIComponent(urlPath));
  if (clean.includes('..')) return null;
  if (clean.startsWith('/static/')) return path.join(ASSETS_DIR, clean.slice('/static/'.length));
  if (clean.startsWith('/fixtures/')) return path.join(FIXTURES_DIR, clean.slice('/fixtures/'.length));
  if (clean === '/') return path.join(FIXTURES_DIR, 'layout.html');
  return path.join(FIXTURES_DIR, clean.slice(1));
}

/** Start on 127.0.0.1 with a random port; returns { url, close }. */
export async function startStaticServer() {
  const server = createServer(async (req, res) => {
    const urlPath = new URL(req.url, 'http://x').pathname;
    const file = resolve(urlPath);
    try {
      if (!file) throw new Error('bad path');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}
