/**
 * Folders made under a root without ever writing through a symbolic link: a link found on
 * the way (`OUT/link -> elsewhere`) is replaced by a real folder, never followed, so what
 * is written stays inside the root. The root itself is the user's to name and is taken as
 * it is. Each folder is checked once per run, also when many writes ask for it at once.
 */
import { lstat, mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';

export class RealFolders {
  private readonly ready = new Map<string, Promise<void>>();

  /** `onLink`: told of every link replaced, by its path. */
  constructor(
    private readonly root: string,
    private readonly onLink: (link: string) => void,
  ) {}

  /** The folder `relative` to the root (`''` is the root), made real. */
  ensure(relative: string): Promise<void> {
    const rel = path.normalize(relative);
    if (rel === '.' || rel === '') return Promise.resolve();
    let pending = this.ready.get(rel);
    if (pending === undefined) {
      pending = this.ensure(path.dirname(rel)).then(() => this.make(path.join(this.root, rel)));
      this.ready.set(rel, pending);
      // A folder that failed is tried again by the next write that needs it.
      pending.catch(() => this.ready.delete(rel));
    }
    return pending;
  }

  /**
   * A file's place under the root, its folders made real. A link where the file itself goes
   * is said; the file's rename then replaces the link (a rename never follows one).
   */
  async prepareFile(relative: string): Promise<void> {
    await this.ensure(path.dirname(relative));
    const full = path.join(this.root, relative);
    if (await isLink(full)) this.onLink(full);
  }

  private async make(full: string): Promise<void> {
    if (await isLink(full)) {
      await unlink(full);
      this.onLink(full);
    }
    try {
      await mkdir(full);
    } catch (error) {
      // Already there: fine if it is a folder (made by a write beside this one, or before).
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !(await lstat(full)).isDirectory()) throw error;
    }
  }
}

async function isLink(full: string): Promise<boolean> {
  try {
    return (await lstat(full)).isSymbolicLink();
  } catch {
    return false;
  }
}
