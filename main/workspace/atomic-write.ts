import { randomBytes } from 'node:crypto';
import { chmod, lstat, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A symlinked workspace stays a symlink: write through to the file it points at. */
async function finalTarget(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

/**
 * Writes a file so that a reader (or a crash) sees either the old content or the new, never half: a temporary
 * file in the same directory, flushed to disk, then renamed over the target. Keeps the target's permissions, and
 * leaves no temporary file behind when any step fails.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const target = await finalTarget(path);
  await removeStaleTemps(target);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const existingMode = await stat(target).then((s) => s.mode & 0o7777, () => undefined);
  const handle = await open(tmp, 'wx', existingMode ?? 0o644);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // open()'s mode passes through the umask; an existing file's mode is restored exactly.
    if (existingMode !== undefined) await chmod(tmp, existingMode);
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what a save of `path` that crashed (kill -9, power loss) left behind: regular files named exactly as
 * writeFileAtomic names its temporaries (`.<name>.<pid>.<8 hex>.tmp`) whose process is gone. A save still running
 * in another process keeps its file; nothing of any other name is touched. Best effort: never fails a save or open.
 */
export async function removeStaleTemps(path: string): Promise<void> {
  const dir = dirname(path);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.(\\d{1,10})\\.[0-9a-f]{8}\\.tmp$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    const file = join(dir, name);
    const info = await lstat(file).catch(() => undefined);
    if (info?.isFile()) await unlink(file).catch(() => undefined);
  }
}
