// Serves the built page (web/dist) with cache and security headers, via sirv.
import { existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import sirv from "sirv";
import { decideRange } from "./byte-range.ts";

/**
 * For a Vite React build calling its own origin: scripts and styles from files
 * (Vite emits no inline script), inline style attributes allowed for React's
 * `style` props, fetches (gRPC-Web) only to this origin, no framing.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const securityHeaders: Readonly<Record<string, string>> = {
  "content-security-policy": contentSecurityPolicy,
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * GET/HEAD handler for `webRoot`. Vite's hashed files under /assets/ are cached for
 * a year as immutable; index.html (and the SPA fallback to it) must be revalidated
 * so a new deploy is seen at once. Without a build it answers 503 saying how to make one.
 */
export function createStaticHandler(webRoot: string): Handler {
  const index = join(webRoot, "index.html");
  let serve: Handler | undefined;
  let builtAt = 0;
  return (req, res) => {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    // sirv lists files once; rebuild that list when the page is rebuilt under us.
    const mtime = existsSync(index) ? statSync(index).mtimeMs : 0;
    if (mtime === 0) {
      notBuilt(req, res, webRoot);
      return;
    }
    if (!serve || mtime !== builtAt) {
      serve = createSirv(webRoot);
      builtAt = mtime;
    }
    serve(req, res);
  };
}

function createSirv(webRoot: string): Handler {
  const serve = sirv(webRoot, {
    single: true, // extension-less paths fall back to index.html; /missing.js stays 404
    etag: true,
    dotfiles: false,
    setHeaders(res, pathname, stats) {
      normaliseRange(res.req, stats.size);
      res.setHeader(
        "cache-control",
        pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });
  return (req, res) =>
    serve(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end(`Not found: ${req.url ?? "/"}\n`);
    });
}

/**
 * sirv reads Range naively: an inverted or huge range reaches fs.createReadStream, which
 * throws (once a crash of the whole gateway), and `bytes=-5` or `0-0` come out wrong. sirv
 * calls setHeaders with the file's size just before it reads Range, so the header is
 * rewritten there into the one form sirv handles right: `start-end` within the file (206),
 * `size-` (its own 416 with `Content-Range: bytes *\/size`), or none (200, the whole file).
 */
function normaliseRange(req: IncomingMessage, size: number): void {
  const header = req.headers.range;
  if (header === undefined) return;
  // If-Range asks for the range only if the file is unchanged; sirv's ETag is weak, which
  // If-Range may not match (RFC 9110 13.1.5), so the whole file is the answer.
  const decision = req.headers["if-range"] === undefined ? decideRange(header, size) : undefined;
  if (decision?.kind === "unsatisfiable") req.headers.range = `bytes=${size}-`;
  // sirv reads a last position of 0 as "to the end": bytes=0-0 is served whole.
  else if (decision?.kind === "partial" && decision.end > 0)
    req.headers.range = `bytes=${decision.start}-${decision.end}`;
  else delete req.headers.range;
}

function notBuilt(req: IncomingMessage, res: ServerResponse, webRoot: string): void {
  res.writeHead(503, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "retry-after": "10",
  });
  res.end(
    req.method === "HEAD"
      ? undefined
      : `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Teams: page not built</title></head>
<body><h1>The page is not built yet</h1>
<p>The gateway found no <code>index.html</code> in <code>${escapeHtml(webRoot)}</code>.</p>
<p>Run <code>npm run build</code> at the repository root (or <code>npm start</code>, which builds it first), then reload.</p>
<p>gRPC-Web calls work meanwhile.</p></body></html>
`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
