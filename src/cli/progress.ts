/** A progress bar on standard error for long batches — only on a terminal. */
import { createRequire } from 'node:module';
import type { Lang } from '../i18n/index.js';

/** Loaded only when a bar is drawn: most runs (a pipe, CI, a few files) never draw one. */
const require = createRequire(import.meta.url);

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const QUIET: Progress = { update: () => undefined, stop: () => undefined };
/** Small batches finish before a bar would be worth drawing. */
const MIN_FILES = 200;

export function startProgress(lang: Lang, total: number, enabled: boolean): Progress {
  if (!enabled || total < MIN_FILES) return QUIET;
  const format =
    lang === 'zh'
      ? '核验中 [{bar}] {value}/{total} 份 | {percentage}% | {speed} 份/秒 | 剩余 {eta_formatted}'
      : 'Auditing [{bar}] {value}/{total} files | {percentage}% | {speed} files/s | ETA {eta_formatted}';
  const cliProgress = require('cli-progress') as typeof import('cli-progress');
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, clearOnComplete: true, barsize: 24, etaBuffer: 50, fps: 5 },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(total, 0, { speed: '0' });
  return {
    update(done) {
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { speed: seconds > 0 ? String(Math.round(done / seconds)) : '0' });
    },
    stop() {
      bar.stop();
    },
  };
}
