/**
 * Golden files: the exact bytes of the Markdown and JSON reports for the bundled examples.
 * A change to a report shows up here as a diff to read; when it is intended, regenerate
 * with `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts` and commit the new files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from './helpers.js';

const GOLDEN = path.join(ROOT, 'test/golden');
const update = process.env.UPDATE_GOLDEN === '1';

const cases: { name: string; args: string[] }[] = [
  { name: 'boarding-senior-short-masks.zh.md', args: ['examples/schools/boarding-senior-short-masks.yaml', '--format', 'markdown:OUT'] },
  { name: 'boarding-senior-short-masks.en.md', args: ['examples/schools/boarding-senior-short-masks.yaml', '--lang', 'en', '--format', 'markdown:OUT'] },
  { name: 'boarding-senior-short-masks.zh.json', args: ['examples/schools/boarding-senior-short-masks.yaml', '--format', 'json:OUT'] },
  { name: 'examples.zh.md', args: ['examples/schools', '--format', 'markdown:OUT'] },
];

describe('golden reports', () => {
  for (const { name, args } of cases) {
    it(name, () => {
      const out = path.join(tempDir('golden'), name);
      const r = cli(['audit', ...args.map((a) => a.replace('OUT', out))]);
      expect(r.code).toBe(1);
      const actual = readFileSync(out, 'utf8');
      const file = path.join(GOLDEN, name);
      if (update) writeFileSync(file, actual);
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }
});
