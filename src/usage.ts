// Command-line mistakes in our words: an unknown option or command with the nearest one ("did
// you mean --pdf?"), an option without its value, a value given to a flag. node:util's parseArgs
// reads the arguments; this looks at its tokens first, so its own messages never reach the user.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { MAX_THEME_BYTES } from './branding.js';
import { BriefdeckError, suggest } from './diagnostics.js';
import { readContained } from './images.js';
import { checkTheme, THEMES } from './schema/briefing.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const USAGE_HINT = 'Run "briefdeck --help" for usage.';

/** A usage mistake: exit code 2, with the pointer to --help. */
export function usageError(message: string): BriefdeckError {
  return new BriefdeckError(`${message}\n${USAGE_HINT}`, 2);
}

/** " (did you mean --pdf?)": command-line words unquoted, as they are typed. */
function nearest(word: string, known: readonly string[]): string {
  const hint = suggest(word, known);
  return hint === undefined ? '' : ` (did you mean ${hint}?)`;
}

/** Throws a usage error for the first mistake in `args`, before parseArgs would throw its own. */
export function checkArguments(args: readonly string[], options: Options): void {
  const { tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  const longNames = Object.keys(options).map((name) => `--${name}`);
  const seen = new Set<number>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    const written = `${token.rawName}`;
    if (option === undefined) {
      // "-pdf" is read as -p -d -f: say it once, as written, and compare it with the long names.
      if (seen.has(token.index)) continue;
      seen.add(token.index);
      const raw = args[token.index]!.replace(/=.*$/, '');
      const word = raw.startsWith('--') ? raw : `--${raw.replace(/^-+/, '')}`;
      throw usageError(`unknown option ${raw}${nearest(word, longNames)}`);
    }
    const long = `--${token.name}`;
    if (option.type === 'boolean' && token.value !== undefined) {
      throw usageError(`${long} takes no value (got "${token.value}")`);
    }
    if (option.type === 'string' && token.value === undefined) {
      throw usageError(`${written === long ? long : `${written} (${long})`} needs a value`);
    }
    if (option.type === 'string' && token.inlineValue === false && token.value!.startsWith('-')) {
      throw usageError(`${long} needs a value, got the option ${token.value} (for a value that starts with "-", write ${long}=${token.value})`);
    }
  }
}

/** The message for a command that does not exist. */
export function unknownCommand(command: string, commands: readonly string[]): BriefdeckError {
  return usageError(`unknown command ${command}${nearest(command, commands)}`);
}

/**
 * A `--theme` that cannot be used is a mistake of the command, said once (with the nearest theme,
 * as for the `theme:` key) rather than once per briefing.
 */
export async function checkThemeFlag(theme: string | undefined, cwd: string): Promise<void> {
  if (theme === undefined) return;
  const problem = checkTheme(theme);
  if (problem !== undefined) throw usageError(`--theme ${problem}`);
  if ((THEMES as readonly string[]).includes(theme)) return;
  try {
    await readContained(theme, cwd, [], MAX_THEME_BYTES);
  } catch (error) {
    throw usageError(`--theme "${theme}" ${(error as Error).message.replace(/the briefing('s folder)?/, 'this folder')}`);
  }
}
