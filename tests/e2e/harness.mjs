// The browser-test harness: builds the editor pages from their npm packages, serves them over
// HTTPS as the real social sites (the browsers map those host names to 127.0.0.1), and starts
// Chromium or Firefox with the extension exactly as shipped in dist/.

import { build } from "esbuild";
import { chromium } from "playwright-core";
import { Builder } from "selenium-webdriver";
import firefox from "selenium-webdriver/firefox.js";
import { generate } from "selfsigned";
import { mkdtemp, mkdir, readFile, rm } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:https";
import { connect } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { BUNDLES, pageCsp, pageHtml } from "./pages.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const EXTENSION = join(here, "..", "..", "dist", "chrome");
const XPI = join(here, "..", "..", "dist", "second-opinion-firefox.xpi");
export const OUT = join(here, "out");
const PAGES = join(here, "pages");
const BUILT = join(OUT, "pages");

/** Sites from the manifest's list that the tests visit; they all resolve to this machine. */
export const SITES = ["x.com", "www.facebook.com", "www.linkedin.com", "bsky.app"];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

async function buildPages() {
  await build({
    entryPoints: Object.fromEntries(BUNDLES.map((name) => [name, join(PAGES, `${name}-page.mjs`)])),
    bundle: true,
    format: "esm",
    outdir: BUILT,
    // React and Draft.js read these; the bundles run in the page, not in Node.
    define: { "process.env.NODE_ENV": '"production"', global: "window" },
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
    if (!/^[a-z-]+\.(html|js|css)$/.test(name)) {
      response.writeHead(404).end();
      return;
    }
    // Pages from the template, bundles (and the CSS esbuild extracts from them), then the
    // hand-written files.
    const body =
      pageHtml(name) ?? (await readFile(join(BUILT, name)).catch(() => readFile(join(PAGES, name)).catch(() => null)));
    if (body === null) {
      response.writeHead(404).end();
      return;
    }
    const headers = { "content-type": TYPES[extname(name)] };
    const csp = pageCsp(name);
    if (csp) headers["content-security-policy"] = csp;
    response.writeHead(200, headers).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/**
 * The test pages over HTTPS, with a certificate made for this run: `url(site, page)` gives an
 * address on one of {@link SITES}, which the browsers resolve to this machine.
 */
export async function serveSites() {
  await mkdir(OUT, { recursive: true });
  await buildPages();
  const server = await serve();
  const port = server.address().port;
  return {
    port,
    url: (site, page) => `https://${site}:${port}/${page}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Chromium with the shipped extension, on a new profile: the browser context, the extension's
 * id and service worker. `close()` also removes the profile.
 */
export async function startChromium() {
  const { context, close } = await launchChromium([`--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`]);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  return { context, worker, extensionId: new URL(worker.url()).host, close };
}

/**
 * The same Chromium, set up the same way, without the extension: what the editors do on their
 * own, for the integrity scenario to compare against.
 */
export function startChromiumWithoutExtension() {
  return launchChromium(["--disable-extensions"]);
}

/** Chromium on a new profile whose site names resolve to this machine; `close()` removes the profile. */
async function launchChromium(extensionArgs) {
  const profile = await mkdtemp(join(tmpdir(), "second-opinion-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: false, // --headless=new below: the mode in which extensions load
    ignoreHTTPSErrors: true,
    viewport: { width: 1100, height: 700 },
    args: [
      "--headless=new",
      ...extensionArgs,
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
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Firefox ESR through geckodriver, with every request sent through `proxy` (see
 * {@link recordingProxy}), localhost included. `installExtension()` installs the shipped .xpi
 * as a temporary add-on, so one browser can first run without the extension.
 */
export async function startFirefox(proxy) {
  const options = new firefox.Options()
    .setBinary(process.env.FIREFOX ?? "/usr/bin/firefox-esr")
    .addArguments("-headless")
    .setPreference("network.proxy.type", 1)
    .setPreference("network.proxy.allow_hijacking_localhost", true)
    .setPreference("network.proxy.no_proxies_on", "")
    .setAcceptInsecureCerts(true);
  for (const scheme of ["http", "ssl"]) {
    options.setPreference(`network.proxy.${scheme}`, "127.0.0.1").setPreference(`network.proxy.${scheme}_port`, proxy.port);
  }
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? join(homedir(), ".cargo", "bin", "geckodriver"));
  const driver = await new Builder().forBrowser("firefox").setFirefoxOptions(options).setFirefoxService(service).build();
  return { driver, installExtension: () => driver.installAddon(XPI, true) };
}

/**
 * An HTTP proxy that records every request a browser makes (`host:port` of each tunnel or
 * plain request, in `requests`) and lets through only tunnels to the test server, which it
 * connects to 127.0.0.1: the site names need no resolving, and nothing else reaches the network.
 */
export async function recordingProxy(serverPort) {
  const requests = [];
  const tunnels = new Set();
  const proxy = createHttpServer((request, response) => {
    requests.push(new URL(request.url).host);
    response.writeHead(403).end();
  });
  proxy.on("connect", (request, client, head) => {
    requests.push(request.url);
    const [host, port] = request.url.split(":");
    if (!SITES.includes(host) || Number(port) !== serverPort) {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = connect(serverPort, "127.0.0.1", () => {
      if (client.destroyed) return;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(client);
    const close = () => {
      upstream.destroy();
      client.destroy();
      tunnels.delete(client);
    };
    upstream.on("error", close);
    client.on("error", close);
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    port: proxy.address().port,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const client of tunnels) client.destroy();
        proxy.close(resolve);
      }),
  };
}

/**
 * The set-up a test file with the extension in Chromium needs: the HTTPS sites and one browser
 * for the whole file (started in `before`, closed in `after`), and `pageTest(title, name, body)`,
 * which runs `body(page)` on a fresh tab, screenshots every page on failure, then closes the tab
 * and runs `cleanup` (for files whose tests must not leak state into each other).
 */
export function chromiumSuite({ timeout = 60_000, cleanup } = {}) {
  const suite = {
    sites: null,
    run: null,
    pageTest(title, name, body) {
      test(title, { timeout }, async () => {
        const page = await suite.run.context.newPage();
        try {
          await withScreenshots(suite.run.context, name, () => body(page));
        } finally {
          await page.close();
          await cleanup?.();
        }
      });
    },
  };
  before(async () => {
    suite.sites = await serveSites();
    suite.run = await startChromium();
  });
  after(async () => {
    await suite.run?.close();
    await suite.sites?.close();
  });
  return suite;
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

// Where the browser draws the flagged words, measured in the page independently of the
// extension. Plain functions of (element, {…}), so Playwright's evaluate and WebDriver's
// executeScript both run them.

/** In a textarea with a monospace font: from the font's advance width and the box's padding. */
export function wordsBoxInField(area, { post, words }) {
  const style = getComputedStyle(area);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontSize} ${style.fontFamily}`;
  const rect = area.getBoundingClientRect();
  const left = rect.left + area.clientLeft + parseFloat(style.paddingLeft);
  const top = rect.top + area.clientTop + parseFloat(style.paddingTop);
  const before = context.measureText(post.slice(0, post.indexOf(words))).width;
  return { x: left + before, y: top, width: context.measureText(words).width, height: parseFloat(style.lineHeight) };
}

/** In a contenteditable editor: a DOM range over the words' text. */
export function wordsBoxInEditor(root, { words }) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(words);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + words.length);
    const { x, y, width, height } = range.getBoundingClientRect();
    return { x, y, width, height };
  }
  throw new Error(`${words} is not in the editor`);
}
