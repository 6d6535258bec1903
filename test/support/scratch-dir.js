// One scratch directory per `npm test` run: every temporary folder a test, cdktf's Testing
// helpers, or a child process (terraform, tsx) makes goes below it through TMPDIR, and the
// whole directory is removed when the run ends, whatever the tests did or failed to clean.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { buildCommands } = require('./commands');

const VARIABLE = 'ML_PLATFORM_TEST_SCRATCH';

async function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlp-test-run-'));
  // Like /tmp itself: tests that run a command as another user (permission cases run as
  // root) need its tools to write their own temporary files here too.
  fs.chmodSync(root, 0o1777);
  process.env[VARIABLE] = root;
  process.env.TMPDIR = root; // read by os.tmpdir() in this process, the workers and children
  buildCommands(root);
}

async function teardown() {
  const root = process.env[VARIABLE];
  if (root && path.basename(root).startsWith('mlp-test-run-')) fs.rmSync(root, { recursive: true, force: true });
}

module.exports = { setup, teardown };
