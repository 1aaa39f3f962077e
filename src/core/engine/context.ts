import type { FileReader } from './recipes';

/** Where a line is checked: the directory it runs in and a way to read workspace files. */
export interface CheckContext {
  /** The directory the command runs in: for `make`/`npm run` recipes and relative paths. */
  readonly cwd?: string;
  readonly reader?: FileReader;
}
