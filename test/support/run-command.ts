/** The commands of bin/, compiled once per run by the global setup (test/support/commands.js). */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** `[node, script]` for a command such as `bin/validate.ts`: the same code as `npm run` starts, without tsx's loader. */
export function compiledCommand(script: string): [string, string] {
  const scratch = process.env.ML_PLATFORM_TEST_SCRATCH;
  if (!scratch) throw new Error('ML_PLATFORM_TEST_SCRATCH is not set: run the tests through jest, whose global setup compiles the commands');
  const compiled = path.join(scratch, 'commands', `${path.basename(script, '.ts')}.js`);
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: the global setup compiles every bin/*.ts (test/support/commands.js)`);
  return [process.execPath, compiled];
}
