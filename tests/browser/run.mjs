// Checks the built demo site the way people and tools will meet it: in a real browser
// (Debian's Chromium driven by playwright-core), with axe-core for accessibility, the Nu HTML
// Checker for validity, a crawler for links, real feed parsers, a sub-path deployment, and the
// demo in every built-in language.
//
// Usage (from the repository root, after `cargo build`):
//   npm ci --prefix tests/browser && node tests/browser/run.mjs [--readme]
// Screenshots are written to target/screenshots/ for review; with --readme, the two README
// images in docs/images/ are written again too. Prints "N passed, N failed".

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, existsSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join, dirname, extname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

import { chromium } from "playwright-core";
import Ajv from "ajv";
import { parseFeed } from "@rowanmanning/feed-parser";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const work = join(repo, "target", "browser-tests");
const shots = join(repo, "target", "screenshots");
const binary = process.env.AFTERMATH_BIN ?? join(repo, "target", "debug", "aftermath");
const asOf = "2026-11-23T12:00:00Z";

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) {
    passed += 1;
    console.log(`ok    ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL  ${name}${detail ? `\n      ${detail.replaceAll("\n", "\n      ")}` : ""}`);
  }
}

// --- Build the demo site twice: at the root of a host, and under /status/ ---------------------
rmSync(work, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
function build(output, baseUrl) {
  const args = ["build", "--root", repo, "--output", output, "--as-of", asOf, "--base-url", baseUrl, "-q"];
  const result = spawnSync(binary, args, { encoding: "utf8" });
  if (result.status !== 0) {
    console.error(result.stderr);
    process.exit(2);
  }
}

// --- A static server like GitHub Pages: folders serve index.html, misses serve 404.html -------
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".xml": "application/xml", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png" };
function serveFolder(folder, prefix) {
  return createServer((request, response) => {
    const url = new URL(request.url, "http://localhost");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(prefix)) {
      response.writeHead(404).end();
      return;
    }
    path = path.slice(prefix.length);
    let file = join(folder, path);
    if (!file.startsWith(folder)) {
      response.writeHead(404).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith("/") && path !== "") {
        response.writeHead(301, { Location: `${prefix}${path}/` }).end();
        return;
      }
      file = join(file, "index.html");
    }
    if (existsSync(file) && statSync(file).isFile()) {
      response.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
      response.end(readFileSync(file));
    } else {
      response.writeHead(404, { "Content-Type": types[".html"] });
      response.end(readFileSync(join(folder, "404.html")));
    }
  });
}
function listen(server) {
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server.address().port)));
}

const rootServer = serveFolder(join(work, "root"), "/");
const rootPort = await listen(rootServer);
const subServer = serveFolder(join(work, "sub"), "/status/");
const subPort = await listen(subServer);
const root = `http://127.0.0.1:${rootPort}/`;
const sub = `http://127.0.0.1:${subPort}/status/`;
build(join(work, "root"), root);
build(join(work, "sub"), sub);

// --- A large generated site: 1,200 entries over 12 services and 5 years ----------------------
const generator = join(repo, "target", "debug", "examples", "generate_site");
if (!existsSync(generator)) {
  spawnSync("cargo", ["build", "--quiet", "--example", "generate_site"], { cwd: repo, stdio: "inherit" });
}
const largeSource = join(work, "large-source");
const largeOut = join(work, "large");
{
  const generated = spawnSync(generator, [largeSource, "--count", "1200", "--services", "12", "--years", "5"], { encoding: "utf8" });
  const largeAsOf = /--as-of (\S+)/.exec(generated.stdout ?? "")?.[1];
  const result = spawnSync(binary, ["build", "--root", largeSource, "--output", largeOut, "--as-of", largeAsOf, "--base-url", "/", "-q"], { encoding: "utf8" });
  if (generated.status !== 0 || result.status !== 0) {
    console.error(generated.stderr, result.stderr);
    process.exit(2);
  }
}

// --- The pages to check: one of each type ----------------------------------------------------
const incidents = JSON.parse(readFileSync(join(work, "root", "api", "incidents.json"), "utf8")).incidents;
const ongoing = incidents.find((i) => i.status === "ongoing");
const resolved = incidents.find((i) => i.status === "resolved" && i.kind === "incident");
const year = resolved.start.slice(0, 4);
const pages = {
  index: "",
  incident: `incidents/${resolved.id}/`,
  ongoing: `incidents/${ongoing.id}/`,
  calendar: "calendar/",
  stats: "stats/",
  history: "history/",
  year: `history/${year}/`,
  service: "services/api/",
  reports: "reports/",
  reportYear: `reports/${year}/`,
  actions: "actions/",
  embed: "embed/",
  embedService: "embed/api/",
  notfound: "no-such-page/",
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function openPage(url, { width = 1280, scheme = "light" } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
  const page = await context.newPage();
  const external = [];
  page.on("request", (r) => {
    if (!r.url().startsWith("http://127.0.0.1")) external.push(r.url());
  });
  const response = await page.goto(url, { waitUntil: "load" });
  return { context, page, response, external };
}

// --- Accessibility, layout and screenshots ---------------------------------------------------
for (const [name, path] of Object.entries(pages)) {
  for (const scheme of ["light", "dark"]) {
    const { context, page, external } = await openPage(root + path, { scheme });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      return await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    });
    const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    check(`axe WCAG 2.1 A/AA: ${name} (${scheme})`, violations.length === 0, violations.join("\n"));
    check(`no external requests: ${name} (${scheme})`, external.length === 0, external.join("\n"));
    if (["index", "incident", "calendar", "stats"].includes(name)) {
      await page.screenshot({ path: join(shots, `${name}-${scheme}.png`), fullPage: true });
    }
    await context.close();
  }
  for (const width of [360, 1280]) {
    const { context, page } = await openPage(root + path, { width });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(`no horizontal scroll at ${width}px: ${name}`, overflow <= 0, `${overflow}px too wide`);
    if (width === 360 && ["index", "incident"].includes(name)) {
      await page.screenshot({ path: join(shots, `${name}-360.png`), fullPage: true });
    }
    await context.close();
  }
}

// --- Every page of the demo, not a sample: axe in both schemes, layout at 360 and 1280 px ----
{
  const demoPages = [];
  const walkPages = (folder, prefix) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walkPages(join(folder, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name === "index.html") demoPages.push(prefix);
    }
  };
  walkPages(join(work, "root"), "");
  demoPages.sort();
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
    const page = await context.newPage();
    const problems = [];
    for (const path of demoPages) {
      await page.goto(root + path, { waitUntil: "load" });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        return await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      });
      for (const v of result.violations) {
        problems.push(`/${path}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }
    }
    check(`axe WCAG 2.1 A/AA on every demo page (${demoPages.length} pages, ${scheme})`, problems.length === 0 && demoPages.length > 40, problems.slice(0, 15).join("\n"));
    await context.close();
  }
  for (const width of [360, 1280]) {
    // A tall viewport: short pages must still end with the footer at the bottom.
    const context = await browser.newContext({ viewport: { width, height: 1400 } });
    const page = await context.newPage();
    const layout = [];
    const tinyText = [];
    // The embeds have no header or footer: their own check is below.
    for (const path of demoPages.filter((p) => !p.startsWith("embed/"))) {
      await page.goto(root + path, { waitUntil: "load" });
      const found = await page.evaluate(() => {
        const footer = document.querySelector(".site-footer").getBoundingClientRect();
        const bottom = document.documentElement.scrollHeight;
        const problems = [];
        if (Math.abs(footer.bottom + window.scrollY - bottom) > 1) problems.push(`footer ends ${Math.round(bottom - footer.bottom)}px above the page's end`);
        for (const pager of document.querySelectorAll("main .pager")) {
          const gap = footer.top - pager.getBoundingClientRect().bottom;
          if (gap < 24) problems.push(`pager ${Math.round(gap)}px above the footer`);
        }
        for (const text of document.querySelectorAll(".tl-text")) {
          const row = text.closest("li").getBoundingClientRect().width;
          if (text.getBoundingClientRect().width < row * 0.5) {
            problems.push(`timeline text squeezed into ${Math.round(text.getBoundingClientRect().width)}px of a ${Math.round(row)}px row`);
            break;
          }
        }
        const tiny = [];
        for (const text of document.querySelectorAll("svg text")) {
          const m = text.getScreenCTM();
          const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
          if (size < 11) tiny.push(`"${text.textContent.slice(0, 20)}" at ${size.toFixed(1)}px`);
        }
        return { problems, tiny };
      });
      for (const problem of found.problems) layout.push(`/${path}: ${problem}`);
      if (found.tiny.length) tinyText.push(`/${path}: ${found.tiny.length} texts, e.g. ${found.tiny.slice(0, 3).join(", ")}`);
    }
    check(`the footer closes every page, pagers keep their distance and timeline text has room at ${width}px`, layout.length === 0, layout.slice(0, 10).join("\n"));
    check(`no chart text under 11 px at ${width}px on any page`, tinyText.length === 0, tinyText.slice(0, 10).join("\n"));
    await context.close();
  }
}

// --- The large site: every page small, one page of each type short, accessible and narrow -----
const largeServer = serveFolder(largeOut, "/");
const largeRoot = `http://127.0.0.1:${await listen(largeServer)}/`;
{
  const htmlFiles = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".html")) htmlFiles.push(path);
    }
  };
  walk(largeOut);
  const big = htmlFiles.filter((f) => statSync(f).size > 300 * 1024).map((f) => `${f.slice(largeOut.length)}: ${statSync(f).size} bytes`);
  check(`no page of the large site is over 300 KB (${htmlFiles.length} pages)`, big.length === 0, big.join("\n"));
  const largeIncidents = JSON.parse(readFileSync(join(largeOut, "api", "incidents.json"), "utf8")).incidents;
  const largeYear = largeIncidents[0].start.slice(0, 4);
  const largePages = {
    index: "",
    history: "history/",
    year: `history/${largeYear}/`,
    "year page 2": `history/${largeYear}/page/2/`,
    service: "services/api-requests/",
    "service page 2": "services/api-requests/page/2/",
    severity: "severities/major/",
    tag: "tags/cache/",
    calendar: "calendar/",
    stats: "stats/",
    incident: `incidents/${largeIncidents.find((i) => i.kind === "incident").id}/`,
  };
  for (const [name, path] of Object.entries(largePages)) {
    for (const scheme of ["light", "dark"]) {
      const { context, page } = await openPage(largeRoot + path, { scheme });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        return await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      });
      const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      check(`axe WCAG 2.1 A/AA: large ${name} (${scheme})`, violations.length === 0, violations.join("\n"));
      if (scheme === "light") {
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        check(`large ${name} is at most 15,000 px tall at 1280 px`, height <= 15000, `${height}px`);
        if (["history", "year", "service"].includes(name)) {
          await page.screenshot({ path: join(shots, `large-${name}.png`), fullPage: true });
        }
      }
      await context.close();
    }
    const { context, page } = await openPage(largeRoot + path, { width: 360 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(`no horizontal scroll at 360px: large ${name}`, overflow <= 0, `${overflow}px too wide`);
    await context.close();
  }
}
largeServer.close();

// --- The README's screenshots (only with --readme) ---------------------------------------------
if (process.argv.includes("--readme")) {
  const images = join(repo, "docs", "images");
  mkdirSync(images, { recursive: true });
  for (const [file, path, scheme] of [["index.png", "", "light"], ["incident-dark.png", pages.incident, "dark"]]) {
    const { context, page } = await openPage(root + path, { scheme });
    await page.screenshot({ path: join(images, file) });
    await context.close();
  }
}

// --- Keyboard: a day with downtime is reachable and shows its details on focus -----------------
{
  const { context, page } = await openPage(root);
  await page.keyboard.press("Tab");
  let reached = false;
  for (let i = 0; i < 200 && !reached; i += 1) {
    reached = await page.evaluate(() => document.activeElement?.closest("ol.bars") !== null);
    if (!reached) await page.keyboard.press("Tab");
  }
  const box = reached ? await page.evaluate(() => document.activeElement.querySelector(".tip").getBoundingClientRect().toJSON()) : null;
  check("a day with downtime is keyboard-reachable and shows its details on focus", reached && box.width > 40 && box.height > 10, JSON.stringify(box));
  await page.screenshot({ path: join(shots, "index-focus.png") });
  await context.close();
}

// --- Works without JavaScript ----------------------------------------------------------------
{
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(root);
  const bars = await page.locator("ol.bars li").count();
  check("the index works without JavaScript (uptime bars are HTML)", bars > 0, `${bars} bars`);
  await context.close();
}

// --- Every internal link resolves, under a sub-path too ----------------------------------------
async function crawl(start) {
  const seen = new Set();
  const broken = [];
  const queue = [start];
  while (queue.length > 0) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const response = await fetch(url, { redirect: "follow" });
    if (!response.ok) {
      broken.push(`${response.status} ${url}`);
      continue;
    }
    if (!(response.headers.get("content-type") ?? "").startsWith("text/html")) continue;
    const html = await response.text();
    for (const match of html.matchAll(/(?:href|src)="([^"#]*)(#[^"]*)?"/g)) {
      if (!match[1]) continue;
      const target = new URL(match[1].replaceAll("&amp;", "&"), url);
      if (target.origin === new URL(start).origin) {
        if (!target.pathname.startsWith(new URL(start).pathname)) broken.push(`outside the base path: ${target} (from ${url})`);
        else queue.push(target.href);
      }
    }
  }
  return { seen: seen.size, broken };
}
for (const [label, start] of [["at the root", root], ["under /status/", sub]]) {
  const { seen, broken } = await crawl(start);
  check(`every internal link resolves ${label} (${seen} URLs)`, broken.length === 0 && seen > 30, broken.slice(0, 10).join("\n"));
}
{
  const { context, page, response } = await openPage(`${sub}nowhere/at/all`);
  const styled = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).borderBottomStyle);
  check("the 404 page is styled under /status/", response.status() === 404 && styled === "solid", `status ${response.status()}, border ${styled}`);
  await context.close();
}
// --- The embeds fit the documented iframe sizes (docs/api.md) -------------------------------
{
  const services = JSON.parse(readFileSync(join(work, "root", "api", "stats.json"), "utf8")).services;
  const count = Object.keys(services).length;
  const problems = [];
  for (const width of [320, 800]) {
    for (const [path, limit] of [["embed/api/", 140], ["embed/", 110 * count + 40]]) {
      const context = await browser.newContext({ viewport: { width, height: 100 } });
      const page = await context.newPage();
      await page.goto(root + path, { waitUntil: "load" });
      const size = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth, target: document.querySelector("base")?.target }));
      if (size.height > limit) problems.push(`/${path} at ${width}px: ${size.height}px high, documented ${limit}px`);
      if (size.width > width) problems.push(`/${path} at ${width}px: ${size.width}px wide`);
      if (size.target !== "_top") problems.push(`/${path}: links do not open in the embedding page`);
      await context.close();
    }
  }
  check("the embeds fit their documented sizes and open links in the page around them", problems.length === 0, problems.join("\n"));
}

// --- The internal edition of the demo: its banner and noindex, accessible and narrow ----------
{
  const internalOut = join(work, "internal");
  const built = spawnSync(binary, ["build", "--root", repo, "--audience", "internal", "--output", internalOut, "--as-of", asOf, "--base-url", "/", "-q"], { encoding: "utf8" });
  if (built.status !== 0) {
    console.error(built.stderr);
    process.exit(2);
  }
  const internalServer = serveFolder(internalOut, "/");
  const internalRoot = `http://127.0.0.1:${await listen(internalServer)}/`;
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width: 360, height: 900 }, colorScheme: scheme });
    const page = await context.newPage();
    const problems = [];
    for (const path of ["", "incidents/support-console-sign-in/", "incidents/checkout-timeouts/", "actions/"]) {
      await page.goto(internalRoot + path, { waitUntil: "load" });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        return await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      });
      for (const v of result.violations) problems.push(`/${path}: ${v.id} (${v.impact}): ${v.help}`);
      const marked = await page.evaluate(() => Boolean(document.querySelector(".internal-banner"))
        && document.querySelector('meta[name="robots"]')?.content === "noindex, nofollow"
        && document.documentElement.scrollWidth <= window.innerWidth);
      if (!marked) problems.push(`/${path}: no banner, no noindex, or wider than 360px`);
    }
    if (scheme === "light") await page.screenshot({ path: join(shots, "internal-360.png"), fullPage: false });
    check(`the internal edition: banner, noindex, axe and 360px (${scheme})`, problems.length === 0, problems.join("\n"));
    await context.close();
  }
  internalServer.close();
}
// --- The demo in every built-in language: lang, axe on every page, nothing wider than 360 px ---
const languageOuts = [];
{
  const languages = readdirSync(join(repo, "themes", "default", "i18n"))
    .filter((f) => f.endsWith(".toml") && f !== "en.toml")
    .map((f) => f.slice(0, -".toml".length))
    .sort();
  check("the browser suite covers at least five languages besides English", languages.length >= 5, languages.join(", "));
  const config = readFileSync(join(repo, "aftermath.toml"), "utf8");
  for (const language of languages) {
    const source = join(work, `lang-source-${language}`);
    mkdirSync(source, { recursive: true });
    cpSync(join(repo, "content"), join(source, "content"), { recursive: true });
    writeFileSync(join(source, "aftermath.toml"), `language = "${language}"\n${config}`);
    const out = join(work, `lang-${language}`);
    const built = spawnSync(binary, ["build", "--root", source, "--output", out, "--as-of", asOf, "--base-url", "/", "-q"], { encoding: "utf8" });
    if (built.status !== 0) {
      console.error(built.stderr);
      process.exit(2);
    }
    languageOuts.push(out);
    const server = serveFolder(out, "/");
    const base = `http://127.0.0.1:${await listen(server)}/`;
    const paths = [];
    const walkPages = (folder, prefix) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        if (entry.isDirectory()) walkPages(join(folder, entry.name), `${prefix}${entry.name}/`);
        else if (entry.name === "index.html") paths.push(prefix);
      }
    };
    walkPages(out, "");
    paths.sort();
    // German has the longest words and Japanese the widest characters: both in dark mode too.
    const schemes = ["de", "ja"].includes(language) ? ["light", "dark"] : ["light"];
    for (const scheme of schemes) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      const problems = [];
      for (const path of paths) {
        await page.goto(base + path, { waitUntil: "load" });
        const lang = await page.evaluate(() => document.documentElement.lang);
        if (lang !== language) problems.push(`/${path}: lang="${lang}"`);
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(async () => {
          // eslint-disable-next-line no-undef
          return await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        });
        for (const v of result.violations) problems.push(`/${path}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }
      check(`${language}: lang and axe WCAG 2.1 A/AA on every page (${paths.length} pages, ${scheme})`, problems.length === 0 && paths.length > 40, problems.slice(0, 15).join("\n"));
      await context.close();
    }
    {
      const context = await browser.newContext({ viewport: { width: 360, height: 900 } });
      const page = await context.newPage();
      const wide = [];
      for (const path of paths) {
        await page.goto(base + path, { waitUntil: "load" });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) wide.push(`/${path}: ${overflow}px too wide`);
      }
      check(`${language}: no page scrolls sideways at 360px`, wide.length === 0, wide.slice(0, 15).join("\n"));
      await context.close();
    }
    if (["de", "ja"].includes(language)) {
      for (const [name, path] of [["index", ""], ["incident", pages.incident], ["stats", "stats/"], ["calendar", "calendar/"], ["service", "services/api/"]]) {
        for (const width of [390, 1280]) {
          for (const scheme of ["light", "dark"]) {
            const { context, page } = await openPage(base + path, { width, scheme });
            await page.screenshot({ path: join(shots, `${language}-${name}-${width}-${scheme}.png`), fullPage: true });
            await context.close();
          }
        }
      }
    }
    server.close();
  }
}

await browser.close();
rootServer.close();
subServer.close();

// --- Fast: no web fonts, small CSS -------------------------------------------------------------
{
  const css = readFileSync(join(work, "root", "assets", "style.css"));
  check("the stylesheet is under 30 KB", css.length < 30 * 1024, `${css.length} bytes`);
  check("no web fonts", !css.toString().includes("@font-face"));
}

// --- Valid HTML: the Nu HTML Checker over every page -----------------------------------------
{
  const vnu = require.resolve("vnu-jar/build/dist/vnu.jar");
  const result = spawnSync("java", ["-jar", vnu, "--errors-only", "--skip-non-html", "--format", "gnu", join(work, "root")], { encoding: "utf8" });
  check("the Nu HTML Checker reports no errors on the whole site", result.status === 0, (result.stderr + result.stdout).trim().split("\n").slice(0, 20).join("\n"));
  const languages = spawnSync("java", ["-jar", vnu, "--errors-only", "--skip-non-html", "--format", "gnu", ...languageOuts], { encoding: "utf8" });
  check(`the Nu HTML Checker reports no errors on the site in every language (${languageOuts.length})`, languages.status === 0 && languageOuts.length >= 5, (languages.stderr + languages.stdout).trim().split("\n").slice(0, 20).join("\n"));
}

// --- Feeds ----------------------------------------------------------------------------------
{
  const atom = parseFeed(readFileSync(join(work, "root", "feed.xml"), "utf8"));
  // Upcoming maintenance leads the feed (it is not in api/incidents.json yet), then the 20 newest.
  const upcoming = atom.items.filter((i) => i.title?.startsWith("[Upcoming maintenance]")).length;
  const leading = atom.items.slice(0, upcoming).every((i) => i.title.startsWith("[Upcoming maintenance]"));
  const expected = upcoming + Math.min(20, incidents.length);
  const ok = atom.meta?.type === "atom" && upcoming >= 1 && leading && atom.items.length === expected && atom.items.every((i) => i.url?.startsWith(root) && i.title);
  check("the Atom feed parses in a feed reader library", ok, JSON.stringify({ type: atom.meta?.type, items: atom.items.length, upcoming, expected }));
  const schema = JSON.parse(readFileSync(join(here, "jsonfeed-1.1.schema.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const feed = JSON.parse(readFileSync(join(work, "root", "feed.json"), "utf8"));
  check("the JSON Feed validates against the JSON Feed 1.1 schema", validate(feed), ajv.errorsText(validate.errors));
}

console.log(`\nscreenshots: ${shots}`);
writeFileSync(join(work, "summary.txt"), `${passed} passed, ${failed} failed\n`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
