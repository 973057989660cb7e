// The package as a new user gets it: `npm pack` a copy of this project, install the tarball into
// an empty project, and run the commands the README and the tool's own hints give. Slow (one real
// install, dependencies from the npm cache or the registry), so everything shares that one install.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type Run } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';

interface PackedFile {
  path: string;
  mode: number;
}

// Run under `npm test`, the environment carries npm's own settings for this project
// (npm_config_local_prefix and the like); a user's shell does not, and a nested npm would obey them.
const USER_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'),
);

const NOT_COPIED = new Set(['node_modules', 'lib', 'dist', '.git', '.briefdeck-cache']);

/** This project as a developer's checkout has it, sharing our node_modules, so packing it never
 * rebuilds the lib/ that other tests are running from. Its lib/ holds a module left from an
 * older build, which must not reach the tarball. */
async function checkoutCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'briefdeck-checkout-'));
  for (const entry of await readdir(ROOT)) {
    if (NOT_COPIED.has(entry) || entry.endsWith('.tgz')) continue;
    await cp(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (source) => !source.includes('/bench/.work') });
  }
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await mkdir(join(dir, 'lib'));
  await writeFile(join(dir, 'lib', 'removed-module.js'), 'export {};\n');
  return dir;
}

function npm(args: string[], cwd: string): Promise<Run> {
  return run('npm', args, cwd, USER_ENV);
}

/** Lines npm or briefdeck print as a warning or an error (npm: `npm warn ...`, `npm error ...`). */
function problemLines(output: string): string[] {
  return output.split('\n').filter((line) => /\b(warn|warning|error|ERR!)\b/i.test(line));
}

let checkout: string;
let packed: PackedFile[];
let tarball: string;
let project: string;
let install: Run;

beforeAll(async () => {
  checkout = await checkoutCopy();
  const pack = await npm(['pack', '--json', '--pack-destination', checkout], checkout);
  expect(pack.code, pack.stderr).toBe(0);
  const [report] = JSON.parse(pack.stdout) as [{ filename: string; files: PackedFile[] }];
  packed = report.files;
  tarball = join(checkout, report.filename);

  project = await mkdtemp(join(tmpdir(), 'briefdeck-user-'));
  const init = await npm(['init', '-y'], project);
  expect(init.code, init.stderr).toBe(0);
  install = await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
});

// A user's project with its dependencies is over 100 MB: leave none behind.
afterAll(async () => {
  for (const dir of [project, checkout]) if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('npm pack', () => {
  const paths = (): string[] => packed.map((f) => f.path);

  it('ships the command, the compiled library, the templates and the schema', () => {
    expect(paths()).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'bin/briefdeck.js',
        'lib/cli.js',
        'lib/index.js',
        'lib/index.d.ts',
        'templates/deck.hbs',
        'templates/styles/base.css',
        'templates/themes/light.css',
        'schema/briefing.schema.json',
      ]),
    );
  });

  it('ships the documentation pages the README links to, without their pictures', () => {
    expect(paths()).toEqual(expect.arrayContaining(['docs/format.md', 'docs/commands.md']));
    expect(paths().filter((p) => p.startsWith('docs/') && !/^docs\/[\w-]+\.md$/.test(p))).toEqual([]);
  });

  it('ships no sources, tests, fixtures, scripts or examples', () => {
    const extra = paths().filter((p) => /^(src|test|scripts|bench|briefings|\.ci)\//.test(p) || /\.test\.|\.tgz$|tsconfig/.test(p));
    expect(extra).toEqual([]);
  });

  it('compiles lib/ afresh: one module for each source module, nothing left from old builds', async () => {
    const sources = async (dir: string, prefix = ''): Promise<string[]> => {
      const names: string[] = [];
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) names.push(...(await sources(join(dir, entry.name), `${prefix}${entry.name}/`)));
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) names.push(`lib/${prefix}${entry.name.replace(/\.ts$/, '.js')}`);
      }
      return names;
    };
    const compiled = paths().filter((p) => p.startsWith('lib/') && p.endsWith('.js'));
    expect(compiled.sort()).toEqual((await sources(join(ROOT, 'src'))).sort());
  });

  it('ships an executable command with a shebang', async () => {
    const bin = packed.find((f) => f.path === 'bin/briefdeck.js');
    expect(bin!.mode & 0o111).toBe(0o111);
    const text = await readFile(join(project, 'node_modules', 'briefdeck', 'bin', 'briefdeck.js'), 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('leaves the project it was packed from as it was', async () => {
    expect(await readFile(join(checkout, 'package.json'), 'utf8')).toBe(await readFile(join(ROOT, 'package.json'), 'utf8'));
  });
});

describe('installing the tarball into an empty project', () => {
  it('succeeds without a warning or an error', () => {
    expect(install.code, install.stdout + install.stderr).toBe(0);
    expect(problemLines(install.stdout + install.stderr)).toEqual([]);
  });

  it('asks to run no install script: the tarball is already built', async () => {
    const manifest = JSON.parse(await readFile(join(project, 'node_modules', 'briefdeck', 'package.json'), 'utf8'));
    expect(manifest.scripts ?? {}).not.toHaveProperty('prepare');
    expect(manifest.scripts ?? {}).not.toHaveProperty('postinstall');
    expect(JSON.parse(await readFile(join(project, 'package.json'), 'utf8')).dependencies).toHaveProperty('briefdeck');
  });

  it('runs `npx briefdeck init` and then `npx briefdeck build`, the steps the README and init print', async () => {
    const init = await run('npx', ['briefdeck', 'init'], project, USER_ENV);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('npx briefdeck build');
    const build = await run('npx', ['briefdeck', 'build'], project, USER_ENV);
    expect(build.code, build.stderr).toBe(0);
    expect(problemLines(build.stdout + build.stderr)).toEqual([]);
    const deck = await readFile(join(project, 'dist', 'first-briefing.html'), 'utf8');
    expect(deck).toMatch(/^<!DOCTYPE html>/i);
    expect(deck).toContain('class="reveal"');
  });

  it('serves the decks with `npx briefdeck watch`, the other hint init prints', async () => {
    await mkdir(join(project, 'briefings'), { recursive: true });
    if (!existsSync(join(project, 'briefings', 'first-briefing.yaml'))) {
      expect((await run('npx', ['briefdeck', 'new', 'first-briefing'], project, USER_ENV)).code).toBe(0);
    }
    // Its own process group, so that stopping it stops npx and the command under it together.
    const child = spawn('npx', ['briefdeck', 'watch', '--port', '0'], { cwd: project, env: USER_ENV, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer): void => {
          output += chunk;
          const served = /serving (http:\/\/\S+\/)/.exec(output);
          if (served) resolve(served[1]!);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then(() => reject(new Error(`watch exited before serving:\n${output}`)));
      });
      const index = await fetch(url);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('first-briefing.html');
      const deck = await fetch(new URL('first-briefing.html', url));
      expect(deck.status).toBe(200);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
    }
    await exited;
    expect(problemLines(output)).toEqual([]);
  });
});
