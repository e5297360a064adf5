#!/usr/bin/env node
/**
 * The bureau's roster for a folder of generated school files (bench/generate.mjs):
 * `node bench/roster.mjs <dir> <roster.csv>`. One row per file, by the id, name, district
 * and type its `school:` block gives, in file-path order, except that every thousandth
 * file is left off (files not on the roster) and one school in a thousand is added with no
 * file (missing schools). Same folder, same bytes.
 */
import { execFileSync } from 'node:child_process';
import { openSync, readSync, closeSync, writeFileSync } from 'node:fs';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  process.stderr.write('usage: node bench/roster.mjs <dir> <roster.csv>\n');
  process.exit(2);
}

const files = execFileSync('find', [dir, '-name', '*.yaml', '-type', 'f'], { encoding: 'utf8', maxBuffer: 1 << 30 })
  .split('\n')
  .filter(Boolean)
  .sort();

/** The first 2 KB of a file hold its `school:` block. */
const head = Buffer.alloc(2048);
function schoolOf(file) {
  const fd = openSync(file, 'r');
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const text = head.subarray(0, n).toString('utf8');
  const field = (name) => (new RegExp(`^  ${name}: "?([^"\\n]*)"?$`, 'm').exec(text) ?? [])[1] ?? '';
  return { id: field('id'), name: field('name'), district: field('district'), type: field('type') };
}

const cell = (text) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const rows = ['学校代码,学校名称,区县,学段'];
let onRoster = 0;
let leftOff = 0;
let missing = 0;
files.forEach((file, i) => {
  const school = schoolOf(file);
  if (i % 1000 === 999) {
    leftOff++;
  } else {
    rows.push([school.id, school.name, school.district, school.type].map(cell).join(','));
    onRoster++;
  }
  if (i % 1000 === 500) {
    rows.push([`${school.id}-9`, `${school.name}（分校）`, school.district, school.type].map(cell).join(','));
    onRoster++;
    missing++;
  }
});
writeFileSync(out, `\uFEFF${rows.join('\r\n')}\r\n`);
process.stdout.write(`${out}: ${onRoster} schools (${missing} with no file); ${leftOff} of ${files.length} files left off\n`);
