import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The package version, read once from package.json next to src/ or dist/. */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
  return cached;
}
