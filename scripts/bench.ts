/**
 * `npm run bench -- [flags]`: the benchmark (bench/run-bench.ts, README "Benchmark"); writes BENCHMARKS.md. With
 * `--suite national`, issue 16's national scale rows instead (bench/national/); writes docs/bench/national-scale.md.
 */
import { runBench } from '../bench/run-bench';
import { runNationalBench } from '../bench/national/run-national';
import { splitSuite } from '../bench/options';

const run = async (argv: string[]) => {
  const { suite, rest } = splitSuite(argv);
  return suite === 'national' ? runNationalBench(rest) : runBench(rest);
};

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
