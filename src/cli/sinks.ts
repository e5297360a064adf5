/**
 * Where a report's bytes go: standard output, or a file replaced atomically when complete —
 * directly, or through a step that needs the whole report first: a spool for a report
 * whose opening summary is known only at the end (HTML), the browser that prints a PDF,
 * the workbook writer of the xlsx format.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Lang } from '../i18n/index.js';
import { AtomicFile } from '../util/atomic-file.js';
import { printToPdf } from './browser.js';
import { writeStdout } from './stdout.js';

export interface Sink {
  /** A promise when the caller must wait before writing more. */
  write(text: string | Uint8Array): Promise<void> | undefined;
  /** `head` goes before everything written so far (a summary known only at the end). */
  commit(head?: string): Promise<void>;
  abort(): Promise<void>;
}

/** A PDF the browser could not print: said as such, not as a write error. */
export class PrintError extends Error {}

/** A write to an output that failed (a full disk, a folder gone): said with the output's path. */
export class OutputError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/**
 * The sink with its failed writes said as the output's own: a write the batch waits for can
 * fail long before the end (the spool of an HTML report on a full disk), and the user must
 * hear which output could not be written, not of a temporary file or an internal error.
 */
export function named(sink: Sink, target: string): Sink {
  const said = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (error instanceof PrintError || error instanceof OutputError || typeof code !== 'string') throw error;
    throw new OutputError(target, code);
  };
  return {
    write: (text) => sink.write(text)?.catch(said),
    commit: (head) => sink.commit(head).catch(said),
    abort: () => sink.abort(),
  };
}

export function stdoutSink(): Sink {
  return { write: writeStdout, commit: async (head) => void (head ? await writeStdout(head) : undefined), abort: async () => undefined };
}

/** A file: the head, if any, must come with the first write (see `spooled`). */
export async function fileSink(target: string): Promise<Sink> {
  const file = await AtomicFile.open(target);
  return {
    write: (text) => file.write(text),
    commit: async (head) => {
      if (head) throw new Error('a head needs a spooled sink');
      await file.commit();
    },
    abort: () => file.abort(),
  };
}

async function scratch(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'reopen-audit-'));
}

/**
 * The report body to a temporary file while the batch runs; at the end the head, then the
 * body, go to `final`. Memory stays flat whatever the size of the batch.
 */
export async function spooled(final: Sink): Promise<Sink> {
  const dir = await scratch();
  const spoolPath = path.join(dir, 'body');
  let spool: AtomicFile;
  try {
    spool = await AtomicFile.open(spoolPath);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const clean = () => rm(dir, { recursive: true, force: true });
  return {
    write: (text) => spool.write(text),
    async commit(head) {
      try {
        await spool.commit();
        if (head) await final.write(head);
        for await (const chunk of createReadStream(spoolPath, { highWaterMark: 1 << 20 })) await final.write(chunk as Buffer);
        await final.commit();
      } catch (error) {
        await final.abort();
        throw error;
      } finally {
        await clean();
      }
    },
    async abort() {
      await spool.abort();
      await final.abort();
      await clean();
    },
  };
}

/**
 * The HTML report printed to `target` as PDF: the HTML is written to a temporary folder,
 * the browser prints it there, and the PDF then replaces `target` atomically. `target` is
 * opened first, so a folder that cannot be written to is said before the batch runs.
 */
export async function pdfSink(target: string, browser: string): Promise<Sink> {
  const out = await AtomicFile.open(target);
  const dir = await scratch().catch(async (error: unknown) => {
    await out.abort();
    throw error;
  });
  const html = path.join(dir, 'report.html');
  const pdf = path.join(dir, 'report.pdf');
  const body = await spooled(await fileSink(html));
  const clean = () => rm(dir, { recursive: true, force: true });
  return {
    write: (text) => body.write(text),
    async commit(head) {
      try {
        await body.commit(head);
        try {
          await printToPdf(browser, html, pdf);
        } catch (error) {
          throw new PrintError(error instanceof Error ? error.message : String(error));
        }
        await out.write(await readFile(pdf));
        await out.commit();
      } catch (error) {
        await out.abort();
        throw error;
      } finally {
        await clean();
      }
    },
    async abort() {
      await body.abort();
      await out.abort();
      await clean();
    },
  };
}

/** The workbook: records in, xlsx bytes streamed to `target`, replaced atomically at the end. */
export async function xlsxSink(target: string, lang: Lang): Promise<Sink> {
  const out = await AtomicFile.open(target);
  const bytes = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const pending = out.write(chunk);
      if (pending) pending.then(() => done(), done);
      else done();
    },
  });
  const finished = new Promise<void>((resolve, reject) => bytes.on('finish', resolve).on('error', reject));
  finished.catch(() => undefined);
  // The workbook writer only for a run that writes one.
  const { XlsxWriter } = await import('../report/xlsx.js');
  const workbook = await XlsxWriter.create(lang, bytes);
  return {
    write: (text) => workbook.write(text),
    async commit() {
      try {
        await workbook.finish();
        await finished;
        await out.commit();
      } catch (error) {
        workbook.abort();
        await out.abort();
        throw error;
      }
    },
    async abort() {
      workbook.abort();
      bytes.destroy();
      await out.abort();
    },
  };
}
