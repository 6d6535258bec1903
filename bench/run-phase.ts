/**
 * Preloaded into every process the benchmark measures:
 *
 *   node --import tsx --import ./bench/run-phase.ts bin/synth.ts
 *
 * which is what `npm run synth` (`tsx bin/synth.ts`) runs after its launchers, with the
 * script as the main module and its own arguments and environment. When the process
 * ends, this writes how it ended (exit code, time since the process started, CPU time,
 * peak RSS) as one JSON line on file descriptor 3, which `bench/bench.ts` reads.
 */
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface PhaseOutcome {
  readonly exitCode: number;
  /** From the start of the process (node and tsx start-up and module loading included) to its end. */
  readonly processMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
}

const OUTCOME_FD = 3;

function reportOutcome(code: number): void {
  const usage = process.resourceUsage();
  const outcome: PhaseOutcome = {
    exitCode: code,
    processMs: performance.now(),
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    maxRssKb: usage.maxRSS,
  };
  const line = `${JSON.stringify(outcome)}\n`;
  try {
    writeSync(OUTCOME_FD, line);
  } catch {
    // Not started by the benchmark: nobody reads descriptor 3.
    process.stderr.write(`outcome: ${line}`);
  }
}

process.once('exit', reportOutcome);
