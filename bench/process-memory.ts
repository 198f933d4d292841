import { readFileSync, writeFileSync } from 'node:fs';

/** Resident set size now and its peak since the last reset, in bytes, of one process. */
export interface MemorySample {
  rss: number;
  peakRss: number;
}

/** Reads VmRSS / VmHWM of process `pid` from /proc (Linux); NaN where there is no /proc. */
export function sampleMemory(pid: number): MemorySample {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
  } catch {
    return { rss: NaN, peakRss: NaN };
  }
}

/** Resets the peak RSS of `pid` to its current RSS (Linux `clear_refs` 5); returns false where that is not possible. */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
