// The browser-test harness: builds the editor pages from their npm packages, serves them over
// HTTPS as the real social sites (Chromium maps those host names to 127.0.0.1), and starts
// Chromium with the extension exactly as shipped in dist/chrome.

import { build } from "esbuild";
import { chromium } from "playwright-core";
import { generate } from "selfsigned";
import { mkdtemp, mkdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const EXTENSION = join(here, "..", "..", "dist", "chrome");
export const OUT = join(here, "out");
const PAGES = join(here, "pages");
const BUILT = join(OUT, "pages");

/** Sites from the manifest's list that the tests visit; they all resolve to this machine. */
export const SITES = ["x.com", "www.facebook.com"];

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };

async function buildPages() {
  await build({
    entryPoints: { lexical: join(PAGES, "lexical-page.mjs") },
    bundle: true,
    format: "esm",
    outdir: BUILT,
    logLevel: "warning",
  });
}

/** An HTTPS server for pages/ and the built bundles, with a certificate made for this run. */
async function serve() {
  const { private: key, cert } = await generate([{ name: "commonName", value: SITES[0] }], {
    days: 1,
    keySize: 2048,
    extensions: [{ name: "subjectAltName", altNames: SITES.map((value) => ({ type: 2, value })) }],
  });
  const server = createServer({ key, cert }, async (request, response) => {
    const name = new URL(request.url ?? "/", "https://localhost").pathname.slice(1);
    const dir = name.endsWith(".js") ? BUILT : PAGES;
    if (!/^[a-z-]+\.(html|js)$/.test(name)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(dir, name));
      response.writeHead(200, { "content-type": TYPES[extname(name)] }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/**
 * Everything a test needs: `url(site, page)`, the browser context, the extension's id.
 * `close()` stops the browser and the server and removes the profile.
 */
export async function start() {
  await mkdir(OUT, { recursive: true });
  await buildPages();
  const server = await serve();
  const port = server.address().port;
  const profile = await mkdtemp(join(tmpdir(), "second-opinion-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: false, // --headless=new below: the mode in which extensions load
    ignoreHTTPSErrors: true,
    viewport: { width: 1100, height: 700 },
    args: [
      "--headless=new",
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
      `--host-resolver-rules=${SITES.map((s) => `MAP ${s} 127.0.0.1`).join(", ")}`,
      "--ignore-certificate-errors",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--disable-dev-shm-usage",
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    worker,
    url: (site, page) => `https://${site}:${port}/${page}`,
    async close() {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Runs a test body; on failure saves a screenshot of each open page into out/. */
export async function withScreenshots(context, name, body) {
  try {
    await body();
  } catch (error) {
    await Promise.all(
      context.pages().map((page, i) =>
        page.screenshot({ path: join(OUT, `${name}-failure-${i}.png`), fullPage: true }).catch(() => undefined),
      ),
    );
    throw error;
  }
}

/** How much of `inner`'s width lies inside `outer` horizontally (0–1), and whether they meet vertically. */
export function horizontalCover(outer, inner) {
  const overlap = Math.min(outer.x + outer.width, inner.x + inner.width) - Math.max(outer.x, inner.x);
  const vertical = Math.min(outer.y + outer.height, inner.y + inner.height) - Math.max(outer.y, inner.y);
  return { cover: Math.max(0, overlap) / inner.width, meets: vertical > 0 };
}
