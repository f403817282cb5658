// The browser-test harness: Debian's Chromium driven by playwright-core (no browser download),
// against a real `entente serve` over HTTPS. Started by scripts/test_web.sh, which passes:
//   ENTENTE_UI_URL   https://127.0.0.1:PORT (the server; the UI is under /ui/)
//   ENTENTE_UI_USERS a JSON file {name: {password, token, role, clearance}}
//   ENTENTE_UI_SHOTS folder for the screenshots (docs/ui)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium, request: apiRequest } = require('playwright-core');
export const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.ENTENTE_UI_URL ?? 'https://127.0.0.1:8443';
export const UI = BASE + '/ui/';
/** Morocco's node (DGSN-DGST) from the demo, for the hit/no-hit decisions; empty when absent. */
export const BASE_MA = process.env.ENTENTE_UI_URL_MA ?? '';
export const UI_MA = BASE_MA ? BASE_MA + '/ui/' : '';
// France's demo node (nodes/dgsi.db), whose liaison asks Morocco's node (hit/no-hit).
export const BASE_FR = process.env.ENTENTE_UI_URL_FR ?? '';
export const UI_FR = BASE_FR ? BASE_FR + '/ui/' : '';
const baseOf = (name) => ({ ma: BASE_MA, fr: BASE_FR })[USERS[name]?.node] ?? BASE;
const uiOf = (name) => baseOf(name) + '/ui/';
export const USERS = JSON.parse(fs.readFileSync(process.env.ENTENTE_UI_USERS ?? 'users.json', 'utf8'));
export const SHOTS = process.env.ENTENTE_UI_SHOTS ?? 'docs/ui';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

let browser;
export async function launch() {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return browser;
}
export async function close() {
  await browser?.close();
}

/** Problems the page reported: CSP violations, uncaught errors. */
export const pageProblems = [];

export async function newPage({ locale = 'en-GB' } = {}) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale,
    acceptDownloads: true,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(Number(process.env.ENTENTE_UI_TIMEOUT_MS ?? 30000));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(text)) pageProblems.push(`${page.url()}: ${text}`);
  });
  page.on('pageerror', (err) => pageProblems.push(`${page.url()}: uncaught ${err.message}`));
  return { context, page };
}

/** An API client as `name` with its bearer token (for test set-up and look-ups only). */
export async function apiAs(name) {
  return apiRequest.newContext({
    baseURL: baseOf(name),
    ignoreHTTPSErrors: true,
    extraHTTPHeaders: { Authorization: 'Bearer ' + USERS[name].token },
  });
}

export async function signIn(page, name, { password, expectOk = true } = {}) {
  await page.goto(uiOf(name));
  await page.getByLabel(/User name|Nom d'utilisateur/).fill(name);
  await page.getByLabel(/Password|Mot de passe/).fill(password ?? USERS[name].password);
  await page.getByRole('button', { name: /Sign in|Se connecter/ }).click();
  if (expectOk) await page.getByTestId('who').waitFor();
}

export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name + '.png') });
}

/** axe-core in the page; returns the serious and critical violations. */
export async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
export function assertEq(actual, expected, message) {
  if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
/** Waits (up to `ms`) for `locator` to match `expected` elements: a list the page re-fetches. */
export async function assertCount(locator, expected, message, ms = 10000) {
  const deadline = Date.now() + ms;
  let count = await locator.count();
  while (count !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    count = await locator.count();
  }
  assertEq(count, expected, message);
}
