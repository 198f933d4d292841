/** `npm run bench -- [flags]`: the benchmark (bench/run-bench.ts, README "Benchmark"); writes BENCHMARKS.md. */
import { runBench } from '../bench/run-bench';

runBench(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
