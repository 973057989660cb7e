// Runs the built command the way a user does: a new Node process, in a folder of our choosing.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './paths.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs any command to its end and collects what it printed. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs briefdeck (this checkout's, or the `bin` given) with these arguments in `cwd`. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, bin = BIN): Promise<Run> {
  return runNode([bin, ...args], cwd, env);
}

/** Runs Node with these arguments (a script, or flags and `-e` code) and collects its output. */
export function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return run(process.execPath, args, cwd, env);
}

/** A fresh temporary folder, optionally seeded with copies of files or folders. */
export async function tempProject(seed: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'briefdeck-test-'));
  for (const [target, source] of Object.entries(seed)) await cp(source, join(dir, target), { recursive: true });
  return dir;
}

/**
 * Starts briefdeck in `cwd` and resolves once its output has said `text` (a deck printed, say),
 * with the process and a promise of its exit code: for interrupting it then.
 */
export async function startCliUntil(args: string[], cwd: string, text: string): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes(text)) resolve();
    });
    void exited.then(() => reject(new Error(`briefdeck ended without saying ${JSON.stringify(text)}: ${stdout}`)));
  });
  return { child, exited };
}
