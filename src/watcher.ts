// Watcher: tells watch mode which of the files it depends on changed, however they were saved
// (written in place, replaced by a rename as vim, VS Code, JetBrains and `sed -i` do, deleted and
// created again) and wherever they are (folders and files created after watching started, a
// watched folder removed and put back). It wraps chokidar, so that the rest of briefdeck knows
// only these types; editors' and tools' temporary files never count as a change.

import { stat } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { watch as chokidar, type FSWatcher } from 'chokidar';

/** Something to watch: a folder with everything below it, or one file. Neither need exist yet. */
export interface WatchedPath<Tag extends string = string> {
  path: string;
  tree: boolean;
  /** What a change here means to the caller (a briefing, a template, the config...). */
  tag: Tag;
}

export interface FileChange<Tag extends string = string> {
  /** `rescan`: the watcher was restarted and may have missed changes; treat everything as changed. */
  kind: 'added' | 'changed' | 'removed' | 'rescan';
  path: string;
  /** The watched paths that contain it (a rescan: all of them). */
  within: WatchedPath<Tag>[];
}

export interface FileWatcherOptions<Tag extends string> {
  onChange: (change: FileChange<Tag>) => void;
  /** A problem with watching itself, in words; the watcher recovers on its own. */
  onProblem: (message: string) => void;
  /** Folders whose changes never count (the output folder). */
  ignoreFolders?: readonly string[];
  /** Paths in messages are relative to this folder. */
  cwd?: string;
}

/**
 * Temporary and backup files that editors and tools write around a save: vim's `4913` probe, swap
 * files and `~` backups, `sed -i`'s `sedXXXXXX`, JetBrains' `___jb_tmp___` and `___jb_old___`,
 * VS Code's `.vsctmp`, Chrome's `.crswap`, emacs's `#autosave#`, any dot-file, `.tmp` and `.bak`.
 * Their own events never rebuild: the rename or write that lands on the real file does.
 */
export function isScratchFile(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.endsWith('~') ||
    isVimProbe(name) ||
    /^sed[A-Za-z0-9]{6}$/.test(name) ||
    /___jb_(tmp|old)___$/.test(name) ||
    /^#.*#$/.test(name) ||
    /\.(swp|swo|swx|swn|tmp|temp|bak|orig|vsctmp|crswap|kate-swp|part|crdownload)$/i.test(name) ||
    /\.tmp[.-]/i.test(name) ||
    name === 'node_modules'
  );
}

/** vim checks that it may create files in a folder by writing 4913 (or 5036, 5159... if taken). */
function isVimProbe(name: string): boolean {
  const n = /^\d+$/.test(name) ? Number(name) : 0;
  return n >= 4913 && (n - 4913) % 123 === 0;
}

const within = (path: string, folder: string) => path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/** The nearest folder above `path` that exists now: chokidar watches from there down. */
async function existingParent(path: string): Promise<string> {
  let folder = dirname(path);
  while (!(await stat(folder).then((s) => s.isDirectory(), () => false)) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

/** Restarts after an error wait this long, doubling up to the second figure. */
const RETRY_MS = [500, 30_000] as const;
/** The longest wait for chokidar's first look at the folders. */
const READY_MS = 10_000;
/** How often the folders watched from are checked to still exist (a removed one gives no event). */
const CHECK_MS = 2_000;

export class FileWatcher<Tag extends string = string> {
  private paths: WatchedPath<Tag>[] = [];
  private ignoredFolders: string[] = [];
  private watcher: FSWatcher | undefined;
  private bases: string[] = [];
  private closed = false;
  private polling = false;
  private retry: NodeJS.Timeout | undefined;
  private retryMs: number = RETRY_MS[0];
  private readonly check: NodeJS.Timeout;
  /** Problems already reported, so that a recurring one is said once. */
  private readonly reported = new Set<string>();
  private restarting: Promise<void> = Promise.resolve();
  /** Each file's state when its last change was passed on or read, and the look at it under way. */
  private readonly seen = new Map<string, string>();
  private readonly looking = new Map<string, Promise<void>>();
  /** Files passed on as changed since the caller last settled. */
  private readonly unread = new Set<string>();

  constructor(private readonly options: FileWatcherOptions<Tag>) {
    this.check = setInterval(() => void this.checkBases(), CHECK_MS);
    this.check.unref();
  }

  /** Watches exactly these paths from now on; resolves once they are watched. */
  async set(paths: readonly WatchedPath<Tag>[]): Promise<void> {
    const next = paths.map((p) => ({ ...p, path: resolve(p.path) }));
    const key = (list: WatchedPath<Tag>[]) => JSON.stringify(list.map((p) => [p.path, p.tree, p.tag]).sort());
    if (this.watcher !== undefined && key(next) === key(this.paths)) return;
    this.paths = next;
    // An ignored folder that holds a watched path (the output folder set to the project's) is not ignored.
    this.ignoredFolders = (this.options.ignoreFolders ?? []).map((f) => resolve(f)).filter((f) => !next.some((p) => p.path === f || within(p.path, f)));
    await this.restart(false);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.check);
    clearTimeout(this.retry);
    await this.restarting.catch(() => undefined);
    await this.watcher?.close();
    this.watcher = undefined;
  }

  /** Starts a new chokidar watcher and, once it is ready, closes the old one (no gap between them). */
  private restart(rescan: boolean): Promise<void> {
    const run = async () => {
      if (this.closed) return;
      const bases = [...new Set(await Promise.all(this.paths.map((p) => existingParent(p.path))))];
      const previous = this.watcher;
      const watcher = chokidar(bases, { ignoreInitial: true, usePolling: this.polling, ignored: (path) => !this.relevant(resolve(path)) });
      watcher.on('all', (event, path) => this.changed(event, resolve(path)));
      watcher.on('error', (error) => this.failed(error as NodeJS.ErrnoException));
      // (chokidar may never say it is ready when a folder vanishes while it is read: go on regardless.)
      await new Promise<void>((done) => {
        watcher.once('ready', done);
        setTimeout(done, READY_MS).unref();
      });
      this.watcher = watcher;
      this.bases = bases;
      await previous?.close();
      if (this.closed) await watcher.close();
      else if (rescan) this.options.onChange({ kind: 'rescan', path: '', within: [...this.paths] });
    };
    this.restarting = this.restarting.then(run, run);
    return this.restarting;
  }

  /** Whether chokidar should look at a path: a watched path, inside a watched tree, or a folder on the way to one. */
  private relevant(path: string): boolean {
    let inside = false;
    for (const watched of this.paths) {
      if (path === watched.path || within(watched.path, path)) return true;
      if (watched.tree && within(path, watched.path)) inside = true;
    }
    if (!inside || isScratchFile(basename(path))) return false;
    return !this.ignoredFolders.some((folder) => path === folder || within(path, folder));
  }

  /**
   * Passes a change on once per real change of a file. The state of each file (identity, size,
   * times) is kept as it was when a change was last passed on, or when the caller last read it
   * (settle); an event that finds the file so again is dropped. So a late or doubled event (an
   * editor's rename dance can yield an `unlink` for a file that is back; a look taken halfway
   * through a write is followed by another event) does not ask for a rebuild of what was read.
   */
  private changed(event: string, path: string): void {
    if (this.closed || (event === 'addDir' && this.paths.every((p) => p.path !== path))) return;
    const kind = event === 'change' ? 'changed' : event.startsWith('unlink') ? 'removed' : 'added';
    const containing = this.paths.filter((p) => path === p.path || (p.tree && within(path, p.path)));
    if (containing.length === 0) return;
    if (event.endsWith('Dir')) return this.options.onChange({ kind, path, within: containing });
    this.look(path, (state) => {
      if (this.closed || this.seen.get(path) === state) return;
      this.seen.set(path, state);
      this.unread.add(path);
      this.options.onChange({ kind, path, within: containing });
    });
  }

  /**
   * To be called just before the caller reads the files that changed: records their state now.
   * chokidar passes on only the first change of a file within 50 ms; the caller's quiet time is
   * longer than that, so the writes it drops are on the disk when this looks.
   */
  async settle(): Promise<void> {
    const paths = [...this.unread];
    this.unread.clear();
    await Promise.all(paths.map((path) => this.look(path, (state) => void this.seen.set(path, state))));
  }

  /** Looks at a file's state, one look at a time per file, in the order asked. */
  private look(path: string, then: (state: string) => void): Promise<void> {
    const look = (this.looking.get(path) ?? Promise.resolve()).then(async () => {
      then(await stat(path, { bigint: true }).then((s) => `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, () => 'missing'));
    });
    this.looking.set(path, look);
    void look.finally(() => this.looking.get(path) === look && this.looking.delete(path));
    return look;
  }

  /**
   * chokidar reports a path it could not watch and goes on with the others. A problem with one
   * entry (a looping link, no permission) is said once; running out of watches switches to
   * polling; anything else starts the watcher again after a pause. Each problem is said once.
   */
  private failed(error: NodeJS.ErrnoException): void {
    if (this.closed) return;
    const code = error.code ?? '';
    const where = error.path === undefined ? '' : ` ${relative(this.options.cwd ?? process.cwd(), error.path) || '.'}`;
    const say = (then: string) => {
      const message = `cannot watch${where}: ${code || error.message}${HINTS[code] ?? ''}${then}`;
      if (!this.reported.has(message)) this.options.onProblem(message);
      this.reported.add(message);
    };
    if (ONE_ENTRY.has(code)) return say('');
    if (OUT_OF_WATCHES.has(code) && !this.polling) {
      this.polling = true;
      say('; watching by polling instead (slower)');
      void this.restart(true);
      return;
    }
    say('; watching again shortly');
    if (this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MS[1]);
      void this.restart(true);
    }, this.retryMs);
  }

  private async checkBases(): Promise<void> {
    if (this.closed || this.watcher === undefined) return;
    const gone = await Promise.all(this.bases.map((base) => stat(base).then((s) => !s.isDirectory(), () => true)));
    if (gone.some(Boolean)) await this.restart(true);
  }
}

/** Errors about one entry: watching everything else goes on. */
const ONE_ENTRY = new Set(['ELOOP', 'EACCES', 'EPERM', 'ENAMETOOLONG']);
/** Errors that mean the system gives no more watches: polling needs none. */
const OUT_OF_WATCHES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

const HINTS: Readonly<Record<string, string>> = {
  ENOSPC: ' (the system limit on watched files is reached: raise fs.inotify.max_user_watches)',
  EMFILE: ' (too many open files: raise the limit with ulimit -n)',
  ELOOP: ' (a symbolic link points to itself)',
};
