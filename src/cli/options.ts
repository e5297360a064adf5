/** The options every command takes, read by the shell (main.ts) and handed to each command. */
import type { Lang } from '../i18n/index.js';

export interface GlobalOptions {
  lang: Lang;
  color: boolean;
  debug: boolean;
}
