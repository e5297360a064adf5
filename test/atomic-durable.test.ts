/**
 * One way to replace a file, for reports and for the school files the interview and
 * `init` write: the new bytes are synced, renamed over the old file, and then the directory
 * is synced so that the rename itself survives a power cut. An existing file keeps its
 * permissions, and a symbolic link to a school file stays a link.
 */
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/** What the file system was asked to do, in order: opens, syncs (with what was synced) and renames. */
const calls: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open = async (...args: Parameters<typeof real.open>) => {
    const handle = await real.open(...args);
    const name = String(args[0]);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      calls.push(`sync ${name}`);
      return sync();
    };
    return handle;
  };
  const rename = async (from: string, to: string) => {
    calls.push(`rename ${path.basename(from).startsWith('.') ? 'temp' : from} → ${to}`);
    return real.rename(from, to);
  };
  return { ...real, default: { ...real, open, rename }, open, rename };
});

const { AtomicFile } = await import('../src/util/atomic-file.js');
const { writeSchoolText } = await import('../src/write/school-file.js');

const SCHOOL = 'school:\n  id: "130104-0217"\n  name: 青河市河东区育才路小学\n';

describe('replacing a file durably', () => {
  it('syncs the directory after the rename, for a report and for a school file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ra-durable-'));
    const report = async (f: string) => {
      const out = await AtomicFile.open(f);
      await out.write('# 报告\n');
      await out.commit();
    };
    for (const write of [report, (f: string) => writeSchoolText(f, SCHOOL)]) {
      calls.length = 0;
      const file = path.join(dir, 'out.yaml');
      await write(file);
      const rename = calls.findIndex((c) => c.startsWith('rename temp'));
      expect(rename).toBeGreaterThan(0);
      // The new bytes were synced before the rename…
      expect(calls.slice(0, rename).some((c) => c.startsWith('sync ') && c.endsWith('.tmp'))).toBe(true);
      // …and the directory after it.
      expect(calls.slice(rename + 1)).toContain(`sync ${dir}`);
    }
  });

  it('keeps the permissions of the file it replaces, and leaves no temporary file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ra-durable-'));
    const file = path.join(dir, 'school.yaml');
    writeFileSync(file, SCHOOL);
    chmodSync(file, 0o600);
    await writeSchoolText(file, `${SCHOOL}  district: 河东区\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('district: 河东区');
    expect(readdirSync(dir)).toEqual(['school.yaml']);
  });

  it('replaces the file a symbolic link points to, and the link stays', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ra-durable-'));
    const real = path.join(dir, 'real.yaml');
    const link = path.join(dir, 'link.yaml');
    writeFileSync(real, SCHOOL);
    symlinkSync(real, link);
    await writeSchoolText(link, `${SCHOOL}  district: 河东区\n`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('district: 河东区');
  });
});
