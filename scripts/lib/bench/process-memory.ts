import { readFileSync, writeFileSync } from 'node:fs';

/** Resident set size now and its peak since the last reset, in bytes, of one process. */
export interface MemorySample {
  rss: number;
  peakRss: number;
}

/** Reads VmRSS / VmHWM of `pid` (default: this process) from /proc (Linux); elsewhere only this process, peak = now. */
export function sampleMemory(pid: number | 'self' = 'self'): MemorySample {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
  } catch {
    if (pid !== 'self' && pid !== process.pid) return { rss: NaN, peakRss: NaN };
    const rss = process.memoryUsage().rss;
    return { rss, peakRss: rss };
  }
}

/** Resets the peak RSS of `pid` to its current RSS (Linux `clear_refs` 5); returns false where that is not possible. */
export function resetPeakMemory(pid: number | 'self' = 'self'): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
