/**
 * Which requirements rest on an assumption rather than on a document: the item's own source
 * says so, or a parameter its threshold used is marked as one (a checklist default or a
 * profile value). Reports mark those items so nobody signs them as if a document said it.
 */
import type { Catalogue, ItemInfo, ItemResult, SchoolResult } from '../model/result.js';
import type { LocalText } from '../model/schema.js';
import type { Lang } from '../i18n/index.js';

export const ASSUMPTION_TEXT = {
  marker: { zh: '依据为假设', en: 'rests on an assumption' },
  title: { zh: '依据为假设的要求', en: 'Requirements resting on an assumption' },
  intro: {
    zh: '下列要求或数值没有可指明的文件依据，是核验表作者的假设（说明如下）；签字前请按属地要求确认。',
    en: 'These requirements or numbers have no document that can be named behind them; they are the checklist authors\' assumptions (explained below). Confirm them against local rules before signing.',
  },
} as const;

export function assumptionText(lang: Lang, key: keyof typeof ASSUMPTION_TEXT): string {
  return ASSUMPTION_TEXT[key][lang];
}

/** The assumptions an item's requirement rests on, in order: the item's own, then its parameters'. */
export function assumptionsOf(
  catalogue: Catalogue,
  info: ItemInfo | undefined,
  result: ItemResult | undefined,
): { name: string; text: LocalText }[] {
  const out: { name: string; text: LocalText }[] = [];
  if (info?.source.assumption) out.push({ name: info.id, text: info.source.assumption });
  for (const input of result?.computation?.inputs ?? []) {
    const param = catalogue.parameters.find((p) => p.name === input.name);
    const text = param?.origin !== 'cli' ? param?.source?.assumption : undefined;
    if (text && !out.some((a) => a.name === input.name)) out.push({ name: input.name, text });
  }
  return out;
}

/** Every assumption a school's applicable requirements rest on, item by item, for a report's list. */
export function assumedItems(
  school: SchoolResult,
  catalogue: Catalogue,
  info: (id: string) => ItemInfo | undefined,
): { id: string; own: boolean; text: LocalText; name: string }[] {
  return school.items
    .filter((r) => r.status !== 'not_applicable')
    .flatMap((r) => assumptionsOf(catalogue, info(r.id), r).map((a) => ({ id: r.id, own: a.name === r.id, ...a })));
}

/** Whether an item's shown requirement rests on an assumption (not-applicable items require nothing). */
export function restsOnAssumption(catalogue: Catalogue, info: ItemInfo | undefined, result: ItemResult): boolean {
  return result.status !== 'not_applicable' && assumptionsOf(catalogue, info, result).length > 0;
}
