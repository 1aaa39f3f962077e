// Child of faultsInjected.test.ts, run with a file-size limit (ulimit -f): the state guard's store in
// argv[2] holds a baseline of the state file argv[3], which has since grown past the limit. Checks it
// (a normal write: the store tries to make it the baseline) and restores the baseline over it (the
// store first keeps the file aside), each of which must write more than the limit allows. Prints each
// outcome as one JSON line: {check, restore}, each the result's value or its refusal's code and message.
import type { Result } from '../../../../src/core/result';
import { StateStore, type TrackError } from '../../../../src/node/terraform/stateStore';

async function outcome(run: () => Promise<Result<unknown, TrackError>>): Promise<string> {
  const result = await run();
  return result.ok ? `ok ${JSON.stringify(result.value).slice(0, 200)}` : `${result.error.code}: ${result.error.message}`;
}

async function main(): Promise<void> {
  const store = new StateStore(process.argv[2]);
  const check = await outcome(() => store.check(process.argv[3]));
  const restore = await outcome(() => store.restore(process.argv[3]));
  console.log(JSON.stringify({ check, restore }));
}

void main();
