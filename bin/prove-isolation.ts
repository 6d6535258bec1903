/** `npm run prove-isolation`: proves from the synthesized stacks that no tenant reaches another tenant's data. */
import { proveIsolationCommand, USAGE } from '../proof/command';
import { runCli } from './cli';

runCli('prove-isolation', USAGE, (args) => proveIsolationCommand(args));
