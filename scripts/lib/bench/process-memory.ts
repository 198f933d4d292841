import { readFileSync, writeFileSync } from 'node:fs';

/** Resident set size now and its peak since the last reset, in bytes, of this process. */
export interface MemorySample {
  rss: number;
  peakRss: number;
}

/** Reads VmRSS / VmHWM from /proc (Linux); elsewhere the peak is the current RSS. */
export function sampleMemory(): MemorySample {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
  } catch {
    const rss = process.memoryUsage().rss;
    return { rss, peakRss: rss };
  }
}

/** Resets the peak RSS to the current RSS (Linux `clear_refs` 5); returns false where that is not possible. */
export function resetPeakMemory(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
