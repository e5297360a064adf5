import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `name`, if it is close enough to be a plausible typo
 * (a third of the length, at least two edits), for "did you mean …" messages.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  // A name that is the start of exactly one candidate (`tech-plan` → `tech-plan-2020`).
  const extended = list.filter((c) => name.length >= 3 && c.startsWith(name) && c !== name);
  if (extended.length === 1) return extended[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const d = distance(name, candidate);
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}
