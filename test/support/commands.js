// The commands of bin/, compiled once per `npm test` run for the tests that spawn them many
// times. `npm run <command>` starts tsx, which starts a second Node process with its loader
// hooks and compiles each module: about 0.4 s of CPU before the command does anything. Each
// command here is one CommonJS file made by the esbuild that tsx itself uses, with the same
// code and the same packages (resolved through a link to the repository's node_modules).
// A few tests still spawn the commands through tsx, as npm does.
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '../..');
const BIN_DIR = path.join(REPO_ROOT, 'bin');
const DIR_NAME = 'commands';

/** The directory of compiled commands below the run's scratch directory. */
function commandsDir(scratchRoot) {
  return path.join(scratchRoot, DIR_NAME);
}

function buildCommands(scratchRoot) {
  const esbuild = require(require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsx/package.json'))] }));
  const outdir = commandsDir(scratchRoot);
  fs.mkdirSync(outdir, { recursive: true });
  // Packages stay outside the bundle and resolve from here as they do from bin/.
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(outdir, 'node_modules'));
  const entryPoints = fs
    .readdirSync(BIN_DIR)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(BIN_DIR, name));
  esbuild.buildSync({
    entryPoints,
    outdir,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
    logLevel: 'error',
  });
}

module.exports = { buildCommands, commandsDir };
