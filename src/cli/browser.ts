/**
 * Printing the HTML report to PDF with a Chromium-family browser already on the machine
 * (nothing is downloaded): `--browser PATH`, else REOPEN_AUDIT_BROWSER, else the usual
 * install locations. The browser runs headless with a fresh profile in a temporary folder
 * that is removed afterwards, without network services, and prints without its own
 * header and footer (the report's CSS sets the page numbers).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const BROWSER_ENV = 'REOPEN_AUDIT_BROWSER';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable', 'brave-browser'];
const PLACES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/usr/bin/microsoft-edge',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
];

function runnable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export type BrowserChoice = { ok: true; path: string } | { ok: false; named?: string };

/** The browser to print with: the one named (which must exist), or the first found. */
export function findBrowser(named: string | undefined, env: NodeJS.ProcessEnv = process.env, places: readonly string[] = PLACES): BrowserChoice {
  const chosen = named ?? (env[BROWSER_ENV] || undefined);
  if (chosen !== undefined) return runnable(chosen) ? { ok: true, path: chosen } : { ok: false, named: chosen };
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  for (const name of NAMES) for (const dir of dirs) if (runnable(path.join(dir, name))) return { ok: true, path: path.join(dir, name) };
  for (const place of places) if (runnable(place)) return { ok: true, path: place };
  return { ok: false };
}

/** The flags for a headless print that works as root, offline, and leaves nothing behind. */
export function printArgs(profile: string, html: string, pdf: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--mute-audio',
    `--user-data-dir=${profile}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${pdf}`,
    pathToFileURL(html).href,
  ];
}

/** Print `html` (a file) to `pdf`; rejects with the browser's own words when it fails. */
export async function printToPdf(browser: string, html: string, pdf: string, timeoutMs = 300_000): Promise<void> {
  const profile = await mkdtemp(path.join(tmpdir(), 'reopen-audit-browser-'));
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(browser, printArgs(profile, html, pdf), { timeout: timeoutMs, maxBuffer: 16 << 20, env: { ...process.env, HOME: profile } }, (error, _stdout, stderr) => {
        if (!error) return resolve();
        const last = stderr
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '' && !/dbus|Fontconfig/i.test(l))
          .pop();
        const status = error.killed ? `stopped after ${timeoutMs / 1000} s` : `exit status ${String(error.code ?? error.signal)}`;
        reject(new Error(last ? `${last}; ${status}` : status));
      });
    });
    // Some builds exit 0 without writing when the page could not be loaded.
    if (!statSync(pdf, { throwIfNoEntry: false })?.size) throw new Error('no PDF written');
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
