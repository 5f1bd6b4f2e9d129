#!/usr/bin/env node
// The floor of the replay figures: read the file in 1 MiB chunks, split lines, JSON.parse each.
// Prints {events, ms, eventsPerSec, cpuMs, peakRssMB} (time from the first read to the last parse;
// cpuMs is the whole process's user+system CPU, as mailtel's status reports it).
import { createReadStream } from 'node:fs';

const t0 = performance.now();
let events = 0;
let carry = '';
for await (const chunk of createReadStream(process.argv[2], { encoding: 'utf8', highWaterMark: 1 << 20 })) {
  const lines = (carry + chunk).split('\n');
  carry = lines.pop();
  for (const line of lines) {
    if (line === '') continue;
    JSON.parse(line);
    events++;
  }
}
if (carry !== '') {
  JSON.parse(carry);
  events++;
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage();
console.log(JSON.stringify({ events, ms, eventsPerSec: events / (ms / 1000), cpuMs: (cpu.user + cpu.system) / 1000, peakRssMB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20 }));
