#!/usr/bin/env node
/**
 * The parse floor: read and parse every school file with `yaml` (Document API with line
 * positions, then toJS) or with `js-yaml`, on N worker threads, doing nothing else.
 * `node bench/parse-floor.mjs DIR yaml|js-yaml JOBS` — prints the number of files parsed.
 */
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

if (isMainThread) {
  const [dir = 'bench/tmp/schools-1000', parser = 'js-yaml', jobsText = '2'] = process.argv.slice(2);
  const { glob } = await import('tinyglobby');
  const files = (await glob('**/*.{yaml,yml}', { cwd: dir })).sort().map((f) => path.join(dir, f));
  const chunks = [];
  for (let i = 0; i < files.length; i += 16) chunks.push(files.slice(i, i + 16));
  let next = 0;
  let parsed = 0;
  let running = 0;
  await new Promise((resolve) => {
    for (let w = 0; w < Number(jobsText); w++) {
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { parser } });
      const feed = () => {
        const chunk = chunks[next++];
        if (chunk) {
          running++;
          worker.postMessage(chunk);
        } else {
          void worker.terminate();
          if (running === 0) resolve();
        }
      };
      worker.on('message', (n) => {
        parsed += n;
        running--;
        feed();
      });
      worker.once('online', feed);
    }
  });
  process.stdout.write(`${parsed}\n`);
} else {
  const { parser } = workerData;
  let parse;
  if (parser === 'yaml') {
    const { parseDocument, LineCounter } = await import('yaml');
    parse = (text) => parseDocument(text, { lineCounter: new LineCounter() }).toJS();
  } else {
    const { load, CORE_SCHEMA } = await import('js-yaml');
    parse = (text) => load(text, { schema: CORE_SCHEMA });
  }
  parentPort.on('message', (files) => {
    let n = 0;
    for (const file of files) {
      try {
        parse(readFileSync(file, 'utf8'));
        n++;
      } catch {
        // a broken file still costs its parse
      }
    }
    parentPort.postMessage(n);
  });
}
