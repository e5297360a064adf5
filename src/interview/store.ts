/**
 * The school file on disk as the interview's only memory. Every answer is a
 * read–edit–write of the file as it is now (so an edit made by hand in the meantime is kept),
 * written atomically, then read back through the same loader `audit` uses.
 */
import type { Problem } from '../model/result.js';
import type { SchoolFile } from '../model/schema.js';
import { parseSource } from '../load/source.js';
import { bindSchool, type SchoolInput } from '../load/school.js';
import type { ResolvedSet } from '../resolve/index.js';
import { readSchoolText, setAnswer, writeSchoolText, SchoolFileError, type AnswerEdit, type SchoolText } from '../write/school-file.js';

export class StoreError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message.code).join(', '));
  }
}

export interface Saved {
  input: SchoolInput;
  /** The file was stored in another encoding and is now UTF-8. */
  reencoded?: string;
}

export class SchoolStore {
  /** Item ids in checklist order: where a new answer goes in the file. */
  private readonly order: string[];
  private pending: Promise<unknown> = Promise.resolve();
  /** A save is under way (Ctrl-C then waits for it). */
  busy = false;
  /** Answers written since this store was made. */
  savedCount = 0;

  constructor(
    readonly file: string,
    readonly set: ResolvedSet,
  ) {
    this.order = set.items.map((c) => c.item.id);
  }

  private async read(): Promise<SchoolText> {
    try {
      return await readSchoolText(this.file);
    } catch (error) {
      if (error instanceof SchoolFileError) throw new StoreError([{ file: this.file, message: { code: error.code, params: error.params } }]);
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new StoreError([{ file: this.file, message: { code: 'file.unreadable', params: { reason: code } } }]);
    }
  }

  private bind(text: string): SchoolInput {
    const loaded = parseSource<SchoolFile>(this.file, text, 'school');
    if (!loaded.ok) throw new StoreError(loaded.problems);
    const bound = bindSchool(loaded.source, this.set);
    if (!bound.ok) throw new StoreError(bound.problems);
    return bound.input;
  }

  async load(): Promise<SchoolInput> {
    return this.bind((await this.read()).text);
  }

  /** Record one answer; the file on disk holds it when this returns. */
  async save(id: string, edit: AnswerEdit): Promise<Saved> {
    this.busy = true;
    const saving = this.write(id, edit);
    this.pending = saving.catch(() => undefined);
    try {
      const saved = await saving;
      this.savedCount++;
      return saved;
    } finally {
      this.busy = false;
    }
  }

  /** Resolves once no save is under way. */
  async idle(): Promise<void> {
    await this.pending;
  }

  private async write(id: string, edit: AnswerEdit): Promise<Saved> {
    const current = await this.read();
    // Refuse to write over a file someone broke by hand meanwhile: say where, keep theirs.
    this.bind(current.text);
    let text: string;
    try {
      text = setAnswer(current.text, id, edit, this.order);
    } catch (error) {
      if (error instanceof SchoolFileError) throw new StoreError([{ file: this.file, message: { code: error.code, params: error.params } }]);
      throw error;
    }
    const input = this.bind(text);
    const reencoded = current.encoding.startsWith('utf-8') ? undefined : current.encoding;
    await writeSchoolText(this.file, { ...current, text });
    return { input, reencoded };
  }
}
