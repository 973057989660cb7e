// The command line: parses arguments, runs a command, prints, and returns the exit code
// (0 success, 1 a briefing had errors, 2 usage). bin/briefdeck.js is only a shim around main().

import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type BriefingResult } from './build.js';
import { BriefdeckError, formatDiagnostic, hasErrors, sortDiagnostics } from './diagnostics.js';
import { starterBriefing } from './starter.js';
import { version } from './version.js';

const HELP = `briefdeck: turn briefing files (YAML or JSON) into self-contained reveal.js decks.

Usage:
  briefdeck build [paths...] [--out <dir>]   build decks (default paths: briefings/)
  briefdeck new <name>                       write a starter briefing, briefings/<name>.yaml

Options:
  -o, --out <dir>   output folder for decks (default: dist)
  -h, --help        show this help
  -v, --version     show the version

Exit codes: 0 success, 1 a briefing has errors, 2 usage error.
Docs: README.md. Each deck is dist/<name>.html: open it in any browser, press S for speaker notes.`;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
}

const defaultIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function reportBriefing(result: BriefingResult, io: Io): void {
  for (const d of sortDiagnostics([...result.diagnostics])) io.err(formatDiagnostic(d));
  if (result.html !== undefined) io.out(`built ${result.html} (${plural(result.slideCount ?? 0, 'slide')}) from ${result.file}`);
}

async function runBuild(positionals: string[], out: string | undefined, io: Io): Promise<number> {
  const result = await build({ paths: positionals, outDir: out, cwd: io.cwd, onBriefing: (b) => reportBriefing(b, io) });
  const failed = result.briefings.filter((b) => hasErrors(b.diagnostics)).length;
  const built = result.briefings.length - failed;
  const summary = `${plural(built, 'deck')} built${failed > 0 ? `, ${plural(failed, 'briefing')} failed` : ''}`;
  (failed > 0 ? io.err : io.out)(summary);
  return failed > 0 ? 1 : 0;
}

async function runNew(positionals: string[], io: Io): Promise<number> {
  const [name, ...rest] = positionals;
  if (name === undefined || rest.length > 0) throw new BriefdeckError('usage: briefdeck new <name>', 2);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) {
    throw new BriefdeckError(`"${name}" is not a usable name: use letters, digits, "-" and "_"`, 2);
  }
  const path = join('briefings', `${name}.yaml`);
  const target = join(io.cwd, path);
  if (await access(target).then(() => true, () => false)) throw new BriefdeckError(`${path} already exists; not overwriting it`, 1);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, starterBriefing(name, new Date().toISOString().slice(0, 10)), { flag: 'wx' });
  io.out(`wrote ${path}; build it with: npx briefdeck build ${path}`);
  return 0;
}

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        strict: true,
        options: {
          out: { type: 'string', short: 'o' },
          help: { type: 'boolean', short: 'h' },
          version: { type: 'boolean', short: 'v' },
        },
      });
    } catch (error) {
      throw new BriefdeckError(`${(error as Error).message}\nRun "briefdeck --help" for usage.`, 2, { cause: error });
    }
    const { values, positionals } = parsed;
    if (values.version) {
      io.out(version());
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === 'help') {
      io.out(HELP);
      return 0;
    }
    switch (command) {
      case 'build':
        return await runBuild(rest, values.out, io);
      case 'new':
        return await runNew(rest, io);
      case undefined:
        io.err(HELP);
        return 2;
      default:
        throw new BriefdeckError(`unknown command "${command}". Run "briefdeck --help" for usage.`, 2);
    }
  } catch (error) {
    if (error instanceof BriefdeckError) {
      io.err(`briefdeck: error: ${error.message}`);
      return error.exitCode;
    }
    io.err(`briefdeck: internal error (a bug in briefdeck, please report it):\n${(error as Error).stack ?? String(error)}`);
    return 70;
  }
}
