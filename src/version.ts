import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: { version: string; homepage?: string } | undefined;

function packageJson(): { version: string; homepage?: string } {
  cached ??= JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string; homepage?: string };
  return cached;
}

/** The package version, read once from package.json next to src/ or dist/. */
export function toolVersion(): string {
  return packageJson().version;
}

/** Where to read about the tool (package.json `homepage`): SARIF's `informationUri`. */
export function toolHomepage(): string | undefined {
  return packageJson().homepage;
}
