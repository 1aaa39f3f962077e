/**
 * `node dist/hook.js hook <agent>`: the agent hook as a thin client, what the hook launcher runs (the
 * same arguments as `countersign hook <agent>`, so the launcher can run either). With a VS
 * Code window to ask, it loads no more than the hook protocols and the gate's socket client, so the
 * agent waits about as long as for a bare node start; only without one does it load the engine
 * (dist/hook-engine.js, beside it) and answer as `countersign hook <agent>` does.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeHookDeps, type HookDeps } from '../node/hooks/answerHook';
import { processHookIo, runHook } from './hook';

const engineVerdict: HookDeps['engineVerdict'] = async (...args) => {
  // Loaded at run time from beside this bundle: esbuild leaves an import of a computed path alone.
  const engine = (await import(pathToFileURL(join(__dirname, 'hook-engine.js')).href)) as typeof import('./hookEngine');
  return engine.engineVerdict(...args);
};

const [verb, ...rest] = process.argv.slice(2);
// Out once answered: the answer is written (synchronously, to the agent's pipes), and nothing left open
// (the socket's close, a cleared timer) is worth the agent's wait.
void runHook(verb === 'hook' ? rest : process.argv.slice(2), processHookIo(), nodeHookDeps(engineVerdict)).then((code) => process.exit(code));
