// `briefdeck doctor`: can this machine print? Which browser briefdeck will use and why, its
// version, where it lives, whether it starts and opens a page, the fonts it sees, and Node. Each
// problem comes with its fix; the command exits 1 when there is one.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { loadAssets } from './assets.js';
import { PACKAGE_ROOT } from './builtins.js';
import { chooseBrowser, howToGetBrowser, launchBrowser, launchFailure, NoBrowserError, prepareBrowser, type BrowserChoice } from './browser.js';
import { configuredBrowser, loadConfig } from './config.js';
import { pinnedBrowser } from './pinned-browser.js';
import { BriefdeckError, formatDiagnostic } from './diagnostics.js';

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
}

/** One finding: a label, what was found, and the fix when it is a problem. */
interface Finding {
  label: string;
  lines: string[];
  fix?: string;
}

const LABEL_WIDTH = 10;

function print(finding: Finding, io: Io): void {
  const pad = (label: string) => label.padEnd(LABEL_WIDTH);
  const lines = finding.fix === undefined ? finding.lines : [`problem: ${finding.lines[0] ?? ''}`, ...finding.lines.slice(1), `fix: ${finding.fix}`];
  lines.forEach((line, i) => io.out(`${pad(i === 0 ? finding.label : '')}${line}`));
}

const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);

function checkNode(): Finding {
  const wanted = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const [, wantMajor = 0, wantMinor = 0] = /(\d+)\.(\d+)/.exec(wanted)?.map(Number) ?? [];
  const ok = major > wantMajor || (major === wantMajor && minor >= wantMinor);
  const line = `${process.version} (briefdeck needs ${wanted})`;
  return ok ? { label: 'node', lines: [line] } : { label: 'node', lines: [line], fix: `install Node ${wanted.replace('>=', '')} or newer` };
}

/** Why a launch failed, turned into the fix a user can apply. */
function launchFix(message: string, choice: BrowserChoice): string {
  if (/No usable sandbox/i.test(message)) {
    return 'this system does not let unprivileged programs use user namespaces, which the browser sandbox needs (Ubuntu 23.10 and later restrict them): pass --browser with an installed Chrome or Chromium, which the system allows';
  }
  const library = /error while loading shared libraries: ([^:\s]+)/.exec(message)?.[1];
  if (library !== undefined) return `the browser needs ${library}: install it with the system's package manager, or pass --browser with an installed Chrome or Chromium`;
  if (choice.source === 'pinned') return 'pass --browser with an installed Chrome or Chromium, and report this with the output of briefdeck doctor';
  if (choice.source === 'installed' || choice.source === 'puppeteer') return `reinstall it, or pass --browser with another Chrome, Edge or Chromium; ${howToGetBrowser()}`;
  const otherwise = pinnedBrowser() ? "briefdeck's own Chromium" : 'an installed Chrome, Edge or Chromium';
  return `check that ${choice.path} is Chrome or Chromium and runs here, or remove it (${choice.why}) to print with ${otherwise}`;
}

/** What the page shows with: the embedded deck fonts, and the machine's fonts for other text. */
async function checkFonts(page: Page, fontsCss: string): Promise<{ embedded: string[]; fallback: string[] }> {
  const probes = { embedded: ["'Source Sans 3'", "'Source Code Pro'"], fallback: ['sans-serif', 'serif', 'monospace'] };
  const all = [...probes.embedded, ...probes.fallback];
  await page.setContent(`<style>${fontsCss}</style>${all.map((family, i) => `<p id="f${i}" style="font-family: ${family}">Briefing</p>`).join('')}`);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const cdp = await page.createCDPSession();
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const used: string[] = [];
    for (const [i, family] of all.entries()) {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: `#f${i}` });
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      const font = fonts[0];
      const name = family.replace(/'/g, '');
      if (i >= probes.embedded.length) used.push(`${name} → ${font?.familyName ?? 'no font'}`);
      else used.push(font?.isCustomFont ? name : `${name} → ${font?.familyName ?? 'no font'}, not the embedded one`);
    }
    return { embedded: used.slice(0, probes.embedded.length), fallback: used.slice(probes.embedded.length) };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function checkBrowser(flag: string | undefined, io: Io): Promise<Finding[]> {
  const { config, diagnostics } = await loadConfig(io.cwd);
  if (config === undefined) {
    return [{ label: 'config', lines: ['the project config has errors', ...diagnostics.map(formatDiagnostic)], fix: 'correct the config file' }];
  }
  const configured = configuredBrowser(config);
  let choice: BrowserChoice;
  try {
    choice = chooseBrowser({ ...(flag ? { flag } : {}), ...(configured ? { config: configured } : {}) });
  } catch (error) {
    if (!(error instanceof NoBrowserError)) throw error;
    return [{ label: 'browser', lines: [error.problem], fix: error.fix }];
  }
  const findings: Finding[] = [{ label: 'browser', lines: [choice.path, choice.why] }];
  if (choice.pinned !== undefined) {
    try {
      const ready = await prepareBrowser(choice.path);
      const { prepared } = ready;
      if (prepared?.unpacked) findings[0]!.lines.push(`unpacked into the cache now in ${ms(prepared.unpackMs)}${prepared.replaced ? ` (the copy there failed its check: ${prepared.replaced})` : ''}`);
      if (prepared) findings[0]!.lines.push(`checked: its files match the size and SHA-256 recorded at unpacking (${ms(prepared.verifyMs)})`);
      findings[0]!.lines.push(`runs with FONTCONFIG_FILE=${ready.env?.FONTCONFIG_FILE} and its own libraries first in LD_LIBRARY_PATH (set for the browser only)`);
    } catch (error) {
      if (!(error instanceof BriefdeckError)) throw error;
      return [{ label: 'browser', lines: [choice.path, choice.why, error.message], fix: 'set XDG_CACHE_HOME to a folder of your own, or pass --browser with an installed Chrome or Chromium' }];
    }
  }

  let browser: Browser | undefined;
  const started = performance.now();
  try {
    browser = await launchBrowser({ executablePath: choice.path, timeout: 30_000 });
    const page = await browser.newPage();
    await page.goto('about:blank');
    findings.push({ label: 'version', lines: [await browser.version()] });
    findings.push({ label: 'starts', lines: [`yes: launched and opened a page in ${ms(performance.now() - started)}`] });
    // The fonts as a deck embeds them, subset to the probe's own text, as a deck is.
    const { deckFontCss } = await import('./fonts.js');
    const probe = '<p>Briefing</p><code>Briefing</code>';
    const fonts = await checkFonts(page, await deckFontCss((await loadAssets()).fonts, probe, [], []));
    const missing = fonts.embedded.some((f) => f.includes('not the embedded one'));
    const fontLines = [`embedded in every deck, and used: ${fonts.embedded.join(', ')}`, `other text falls back to: ${fonts.fallback.join(', ')}`];
    if (choice.pinned) fontLines.push("(briefdeck's Chromium sees the fonts in /etc/fonts, then its own Open Sans)");
    findings.push(missing ? { label: 'fonts', lines: fontLines, fix: 'the browser did not use the fonts a deck embeds; report this with the output of briefdeck doctor' } : { label: 'fonts', lines: fontLines });
  } catch (error) {
    const message = (((error as Error).cause as Error | undefined) ?? (error as Error)).message;
    findings.push({ label: 'starts', lines: [`it did not start: ${launchFailure(message)}`], fix: launchFix(message, choice) });
  } finally {
    await browser?.close().catch(() => browser?.process()?.kill('SIGKILL'));
  }
  return findings;
}

/** Runs every check, prints what it found, and returns the exit code (1 when anything is wrong). */
export async function runDoctor(positionals: string[], flag: string | undefined, io: Io): Promise<number> {
  if (positionals.length > 0) throw new BriefdeckError('usage: briefdeck doctor [--browser <path>]', 2);
  const findings = [checkNode(), ...(await checkBrowser(flag, io))];
  for (const finding of findings) print(finding, io);
  const problems = findings.filter((f) => f.fix !== undefined).length;
  if (problems > 0) {
    io.err(`briefdeck doctor: ${problems === 1 ? '1 problem' : `${problems} problems`}`);
    return 1;
  }
  io.out('ok: briefdeck can print PDFs on this machine');
  return 0;
}
