/**
 * The built-in checklist library (checklists/) is the product's content: an inspection team
 * audits against it without writing a checklist first. These tests hold what every item
 * must carry — both languages, a source, a remediation, a unique stable id — that every
 * expression compiles under every profile, that every section of DOMAIN.md has a
 * checklist, and that docs/checklists.md is the catalogue the data generates today.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_DIR, DEFAULT_PROFILE, loadLibrary, type Library } from '../src/load/library.js';
import { resolve } from '../src/resolve/index.js';
import type { Checklist, Item, Profile } from '../src/model/schema.js';
import { ROOT } from './helpers.js';

const CJK = /[\u3400-\u9fff]/;
const CJK_ALL = /[\u3400-\u9fff]/g;
/** DOMAIN.md sits beside the repository in the project's shared folder; not in a clone. */
const DOMAIN_MD = path.join(ROOT, '..', 'shared', 'DOMAIN.md');
// The domain brief sits beside the checkout in the maintainers' workspace, not in a clone.
if (!existsSync(DOMAIN_MD)) console.warn(`test/library.test.ts: ${DOMAIN_MD} not found beside the checkout; the check of its sections is skipped`);

/** Each section of DOMAIN.md and the checklist that covers it. */
const DOMAIN_SECTIONS: Record<string, string> = {
  'The gates: 三个不开学': 'three-no-opening',
  'Organisation and plans': 'organisation',
  'Health screening before return': 'screening',
  'Isolation observation room': 'isolation-room',
  'Cleaning, disinfection and ventilation': 'cleaning',
  Supplies: 'supplies',
  'Campus access': 'campus-access',
  'Daily health monitoring': 'daily-monitoring',
  'Canteen and dormitory': 'canteen-dormitory',
  'Health staffing': 'health-staffing',
  'Teaching readiness': 'teaching-readiness',
};

let library: Library;
let checklists: Checklist[];
let profiles: Profile[];
let items: { checklist: Checklist; item: Item }[];

beforeAll(async () => {
  library = await loadLibrary();
  checklists = [...library.checklists.values()].map((s) => s.data);
  profiles = [...library.profiles.values()].map((s) => s.data);
  items = checklists.flatMap((checklist) =>
    checklist.sections.flatMap((section) => section.items.map((item) => ({ checklist, item }))),
  );
});

/** Every `{zh, en}` text in a checklist or profile, with where it is. */
function localTexts(node: unknown, where: string, out: { where: string; zh: unknown; en: unknown }[] = []) {
  if (Array.isArray(node)) node.forEach((child, i) => localTexts(child, `${where}[${i}]`, out));
  else if (node !== null && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    if (keys.includes('zh') || keys.includes('en')) out.push({ where, zh: obj.zh, en: obj.en });
    else for (const [key, child] of Object.entries(obj)) localTexts(child, `${where}.${key}`, out);
  }
  return out;
}

/**
 * Why a `{zh, en}` pair is not one text in two languages, or undefined when it is. A unit
 * may be a symbol in either language (℃, °C, mg/L), so it need only be there.
 */
function bilingualProblem(zh: unknown, en: unknown, symbol = false): string | undefined {
  if (typeof zh !== 'string' || zh.trim() === '') return 'no Chinese text';
  if (typeof en !== 'string' || en.trim() === '') return 'no English text';
  if (symbol) return undefined;
  if (!CJK.test(zh)) return `the Chinese text has no Chinese: ${zh}`;
  const letters = en.replace(/\s/g, '').length;
  // English may quote a Chinese term (两案), but must be English for the most part.
  if (!/[A-Za-z]{2}/.test(en) || (en.match(CJK_ALL)?.length ?? 0) > letters / 5)
    return `the English text is not English: ${en}`;
  return undefined;
}

describe('the built-in library', () => {
  it('loads every checklist and profile file without an error', () => {
    expect(library.failures).toEqual([]);
    const files = (dir: string) => readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    // The library is keyed by id, so two files with one id would silently become one.
    expect(library.checklists.size).toBe(files(BUILTIN_DIR).length);
    expect(library.profiles.size).toBe(files(path.join(BUILTIN_DIR, 'profiles')).length);
  });

  it('has at least 60 items', () => {
    expect(items.length).toBeGreaterThanOrEqual(60);
  });

  it('gives every item a title, guidance, rationale and remediation in Chinese and English', () => {
    const problems: string[] = [];
    for (const { item } of items) {
      for (const field of ['title', 'guidance', 'rationale', 'remediation'] as const) {
        const text = item[field] as { zh?: unknown; en?: unknown } | undefined;
        const problem = text ? bilingualProblem(text.zh, text.en) : 'missing';
        if (problem) problems.push(`${item.id} ${field}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes every other text of the checklists and profiles in both languages', () => {
    const problems: string[] = [];
    for (const c of checklists) {
      for (const t of localTexts(c, c.id)) {
        const problem = bilingualProblem(t.zh, t.en, t.where.endsWith('.unit'));
        if (problem) problems.push(`${t.where}: ${problem}`);
      }
    }
    for (const p of profiles) {
      for (const t of localTexts(p, `profile ${p.id}`)) {
        const problem = bilingualProblem(t.zh, t.en, t.where.endsWith('.unit'));
        if (problem) problems.push(`${t.where}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every item a source document of its checklist, or marks it as an assumption', () => {
    const problems: string[] = [];
    for (const { checklist, item } of items) {
      const ref = item.source?.ref;
      if (!ref) problems.push(`${item.id}: no source`);
      else if (ref === 'unsourced') {
        if (!item.source.assumption) problems.push(`${item.id}: unsourced without an assumption`);
      } else if (!checklist.sources.some((s) => s.id === ref))
        problems.push(`${item.id}: source ${ref} is not a source of ${checklist.id}`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every parameter a default and its source, or says in both languages that none gives it', () => {
    const problems: string[] = [];
    for (const c of checklists) {
      for (const p of c.parameters ?? []) {
        const where = `${c.id} parameter ${p.name}`;
        if (p.default === undefined) problems.push(`${where}: no default`);
        if (p.source.ref === 'unsourced') {
          if (!p.source.note || bilingualProblem(p.source.note.zh, p.source.note.en)) {
            problems.push(`${where}: unsourced without a note in both languages`);
          }
        } else if (!c.sources.some((s) => s.id === p.source.ref)) {
          problems.push(`${where}: source ${p.source.ref} is not a source of ${c.id}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('names every parameter and says in words when every condition does not hold, in both languages', () => {
    const problems: string[] = [];
    for (const c of checklists) {
      for (const p of c.parameters ?? []) {
        const problem = p.title ? bilingualProblem(p.title.zh, p.title.en) : 'missing';
        if (problem) problems.push(`${c.id} parameter ${p.name} title: ${problem}`);
      }
      const owners = [{ where: c.id, owner: c }, ...c.sections.flatMap((s) => [{ where: `${c.id}/${s.id}`, owner: s }, ...s.items.map((i) => ({ where: i.id, owner: i }))])];
      for (const { where, owner } of owners) {
        if (owner.applies_if === undefined) continue;
        const text = owner.not_applicable_reason;
        const problem = text ? bilingualProblem(text.zh, text.en) : 'missing';
        if (problem) problems.push(`${where} not_applicable_reason: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('cites only public documents: an issuer and a title, never our own notes or files', () => {
    const OWN_NOTES = /DOMAIN\.md|PRODUCT\.md|领域说明|domain notes|domain-notes|seeds\/|种子文档|project's|reopen-audit/i;
    const problems: string[] = [];
    const docsOf = (where: string, docs: { id: string; title: string; issuer?: string }[] | undefined) => {
      for (const d of docs ?? []) {
        if (!d.issuer) problems.push(`${where} source ${d.id}: no issuer`);
        if (!d.title.trim()) problems.push(`${where} source ${d.id}: no title`);
      }
    };
    for (const c of checklists) docsOf(c.id, c.sources);
    for (const p of profiles) docsOf(`profile ${p.id}`, p.sources);
    // Every source, parameter and profile text: none may point at our own notes.
    for (const c of checklists) {
      const text = JSON.stringify({ sources: c.sources, parameters: c.parameters, description: c.description, items: items.filter((x) => x.checklist === c).map((x) => x.item.source) });
      if (OWN_NOTES.test(text)) problems.push(`${c.id}: cites our own notes (${OWN_NOTES.exec(text)?.[0]})`);
    }
    for (const p of profiles) {
      const text = JSON.stringify(p);
      if (OWN_NOTES.test(text)) problems.push(`profile ${p.id}: cites our own notes (${OWN_NOTES.exec(text)?.[0]})`);
    }
    expect(problems).toEqual([]);
  });

  it('marks every unsourced number as an assumption, and every item whose threshold uses one', () => {
    const problems: string[] = [];
    const assumed = new Set<string>();
    for (const c of checklists) {
      for (const p of c.parameters ?? []) {
        if (p.source.ref === 'unsourced' && !p.source.assumption) problems.push(`${c.id} parameter ${p.name}: unsourced but not marked as an assumption`);
        if (p.source.assumption) assumed.add(p.name);
      }
    }
    for (const { item } of items) {
      const src = item.source;
      if (src.ref === 'unsourced' && !src.assumption) problems.push(`${item.id}: unsourced but not marked as an assumption`);
      // A threshold computed from an assumed parameter rests on that assumption too.
      const exprs = [item.expect?.min, item.expect?.max, item.expect?.within_days, item.expect?.rule].filter((e) => typeof e === 'string');
      const uses = [...assumed].filter((name) => exprs.some((e) => new RegExp(`\\b${name}\\b`).test(e as string)));
      if (uses.length > 0 && !src.assumption) problems.push(`${item.id}: uses assumed ${uses.join(', ')} without saying so`);
      // Severity rules (docs/checklists.md): what rests on an assumption never decides a verdict alone.
      if (src.assumption && (item.severity === 'gate' || item.severity === 'critical'))
        problems.push(`${item.id}: ${item.severity} but rests on an assumption`);
    }
    for (const p of profiles) {
      for (const [name, raw] of Object.entries(p.parameters ?? {})) {
        const source = typeof raw === 'object' ? raw.source : undefined;
        if (source?.ref === 'unsourced' && !source.assumption) problems.push(`profile ${p.id} ${name}: unsourced but not marked as an assumption`);
      }
    }
    expect(problems).toEqual([]);
    // Assumptions say why in both languages.
    for (const c of checklists) {
      for (const t of localTexts(c, c.id).filter((x) => x.where.endsWith('.assumption'))) {
        expect(bilingualProblem(t.zh, t.en), t.where).toBeUndefined();
      }
    }
  });

  it('has no two items that record the same fact (same title once normalised, in any checklist)', () => {
    const normal = (text: string) => text.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '').replace(/\d+/g, '#');
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const { item } of items) {
      for (const lang of ['zh', 'en'] as const) {
        const key = `${lang}:${normal(item.title[lang])}`;
        const other = seen.get(key);
        if (other && other !== item.id) duplicates.push(`${item.id} and ${other}: "${item.title[lang]}"`);
        seen.set(key, item.id);
      }
    }
    expect(duplicates).toEqual([]);
  });

  it('gives every parameter a profile overrides a source of that profile or the ones it extends', () => {
    const byId = new Map(profiles.map((p) => [p.id, p]));
    const problems: string[] = [];
    for (const p of profiles) {
      const docs: string[] = [];
      for (let cur: Profile | undefined = p; cur; cur = cur.extends ? byId.get(cur.extends) : undefined) {
        docs.push(...(cur.sources ?? []).map((s) => s.id));
      }
      for (const [name, raw] of Object.entries(p.parameters ?? {})) {
        const ref = typeof raw === 'object' ? raw.source?.ref : undefined;
        if (!ref) problems.push(`${p.id} ${name}: no source`);
        else if (ref !== 'unsourced' && !docs.includes(ref)) problems.push(`${p.id} ${name}: source ${ref} is not declared`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every item an id no other item has', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const { checklist, item } of items) {
      const other = seen.get(item.id);
      if (other) duplicates.push(`${item.id} in ${other} and ${checklist.id}`);
      seen.set(item.id, checklist.id);
    }
    expect(duplicates).toEqual([]);
  });

  it('keeps section ids, source ids, parameter names and choice values unique where they are looked up', () => {
    const duplicates: string[] = [];
    const unique = (where: string, values: string[]) => {
      const dup = values.filter((v, i) => values.indexOf(v) !== i);
      if (dup.length > 0) duplicates.push(`${where}: ${[...new Set(dup)].join(', ')}`);
    };
    for (const c of checklists) {
      unique(
        `${c.id} sections`,
        c.sections.map((s) => s.id),
      );
      unique(
        `${c.id} sources`,
        c.sources.map((s) => s.id),
      );
      unique(
        `${c.id} parameters`,
        (c.parameters ?? []).map((p) => p.name),
      );
      for (const s of c.sections) {
        for (const i of s.items)
          unique(
            `${i.id} options`,
            (i.answer?.options ?? []).map((o) => o.value),
          );
      }
    }
    expect(duplicates).toEqual([]);
  });

  it('names the items of one checklist with one first segment that no other checklist uses', () => {
    const prefixes = new Map<string, Set<string>>();
    for (const { checklist, item } of items) {
      const prefix = item.id.split('.')[0] as string;
      prefixes.set(prefix, (prefixes.get(prefix) ?? new Set()).add(checklist.id));
    }
    const shared = [...prefixes]
      .filter(([, owners]) => owners.size > 1)
      .map(([p, o]) => `${p}: ${[...o].join(', ')}`);
    expect(shared).toEqual([]);
    expect(prefixes.size).toBe(checklists.length);
  });

  it('compiles every expression under the default profile, which uses every checklist', () => {
    const outcome = resolve(library, { profile: DEFAULT_PROFILE }, 'test');
    expect(outcome.ok ? [] : outcome.failures).toEqual([]);
    if (outcome.ok) {
      expect(outcome.set.catalogue.checklists.map((c) => c.id).sort()).toEqual(
        [...library.checklists.keys()].sort(),
      );
      expect(outcome.set.items.length).toBe(items.length);
    }
  });

  it('compiles every expression under every other profile', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(3);
    for (const p of profiles) {
      const outcome = resolve(library, { profile: p.id }, 'test');
      expect(outcome.ok ? [] : outcome.failures, p.id).toEqual([]);
    }
  });

  it('has a checklist for every section of DOMAIN.md, and one for kindergartens', () => {
    for (const [section, id] of Object.entries(DOMAIN_SECTIONS)) {
      const checklist = library.checklists.get(id);
      expect(checklist, `${section} → ${id}`).toBeDefined();
      expect(checklist?.data.sections.some((s) => s.items.length > 0)).toBe(true);
    }
    expect(library.checklists.get('kindergarten')?.data.applies_if).toBe('type == "kindergarten"');
  });

  it.runIf(existsSync(DOMAIN_MD))('knows every section DOMAIN.md has', () => {
    const text = readFileSync(DOMAIN_MD, 'utf8');
    const gates = /^## (The gates: 三个不开学)/m.exec(text)?.[1];
    const sectionsPart = text.split(/^## Sections and checkable items$/m)[1]?.split(/^## /m)[0] ?? '';
    // Each section starts a paragraph with its name in bold: **Supplies (物资储备)** — …
    const named = [...sectionsPart.matchAll(/^\*\*([^*(]+?)\s*(?:\([^)]*\))?\*\*/gm)].map((m) =>
      m[1]?.trim(),
    );
    expect(named.length).toBeGreaterThanOrEqual(10);
    expect([gates, ...named].sort()).toEqual(Object.keys(DOMAIN_SECTIONS).sort());
  });
});

describe('docs/checklists.md', () => {
  it('is the catalogue the generator makes from the library today (npm run docs:checklists)', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/gen-checklists-doc.mjs'), '--stdout'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const committed = readFileSync(path.join(ROOT, 'docs/checklists.md'), 'utf8');
    // A stale catalogue: regenerate it with `npm run docs:checklists` and commit it.
    expect(run.stdout === committed, 'docs/checklists.md is stale: run `npm run docs:checklists`').toBe(true);
  });

  it('lists every checklist, item, parameter and profile', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/checklists.md'), 'utf8');
    const missing: string[] = [];
    for (const c of checklists) {
      if (!doc.includes(`(\`${c.id}\` v${c.version})`)) missing.push(`checklist ${c.id}`);
      if (!doc.includes(c.title.en)) missing.push(`title of ${c.id}`);
      for (const p of c.parameters ?? [])
        if (!doc.includes(`\`${p.name}\``)) missing.push(`parameter ${p.name}`);
    }
    for (const { item } of items) {
      // Twice: in its section's table and in the checklist's answer types.
      if (doc.split(`| \`${item.id}\` |`).length - 1 < 2) missing.push(`item ${item.id}`);
    }
    for (const p of profiles) if (!doc.includes(`(\`${p.id}\``)) missing.push(`profile ${p.id}`);
    expect(missing).toEqual([]);
  });
});
