// Loaded into each child of bench/hostile.ts (`node --import`): on exit, the process's peak resident
// memory (VmHWM) on stderr, where the bench reads it. A crash (abort, signal) prints nothing.
import { readFileSync, writeSync } from 'node:fs';
import process from 'node:process';

process.on('exit', () => {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (kb) writeSync(2, `\ncountersign-peak-rss-kb ${kb}\n`);
});
