import type { Page } from 'playwright-core';
import { session } from '../harness/session';
import { openWorkbench, screenshot, type Workbench } from './workbench';

/** The workbench a UI spec's describe block works in, opened by suiteWorkbench. */
export interface SuiteWorkbench {
  readonly workbench: Workbench;
  readonly page: Page;
}

/** Opens the session's workspace with the extension under development. */
function openSessionWorkbench(): Promise<Workbench> {
  const { server, workspace, extensionPath } = session();
  return openWorkbench(server, { folder: workspace, extensionDevelopmentPath: extensionPath });
}

/**
 * Mocha hooks for the enclosing describe: `open` before its tests, a screenshot of each failed test
 * (.harness/shots/failed-<title>.png), and the workbench closed after them.
 */
export function suiteWorkbench(open: () => Promise<Workbench> = openSessionWorkbench): SuiteWorkbench {
  let current: Workbench | undefined;
  const opened = (): Workbench => {
    if (!current) throw new Error('the workbench is opened in the before hook');
    return current;
  };
  before(async () => {
    current = await open();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && current) await screenshot(current.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await current?.close();
  });
  return {
    get workbench() {
      return opened();
    },
    get page() {
      return opened().page;
    },
  };
}
