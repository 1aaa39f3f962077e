export type Environment = Readonly<Record<string, string>>;

/**
 * The environment of one line the shell holds, asked of the waiting shell at most once and only on
 * demand: the Enter path never pays for it. The first get() sends the question; every call gets the
 * same promise. Once no shell waits for the line (close), a question not yet answered fails; an
 * answer already in stays, as it describes the line as it was held.
 */
export class EnvironmentQuery {
  private result: Promise<Environment> | undefined;
  private reply: { resolve(env: Environment): void; reject(error: Error): void } | undefined;
  private closed: string | undefined;

  constructor(
    /** Writes the question into the waiting shell's input. */
    private readonly ask: () => void,
    private readonly timeoutMs: number,
  ) {}

  get(): Promise<Environment> {
    this.result ??= this.closed !== undefined ? Promise.reject(new Error(this.closed)) : this.send();
    return this.result;
  }

  /** The shell's `env` message; undefined when it could not list its environment. Ignored unless asked. */
  answer(env: Environment | undefined): void {
    if (env) this.reply?.resolve(env);
    else this.reply?.reject(new Error('the shell could not list its environment'));
  }

  /** The question is lost (the answer was too long to read): fail now rather than at the timeout. */
  fail(why: string): void {
    this.reply?.reject(new Error(why));
  }

  /** No shell waits for this line any more. */
  close(why: string): void {
    this.closed ??= why;
    this.fail(why);
  }

  private send(): Promise<Environment> {
    return new Promise<Environment>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`the shell did not report its environment within ${this.timeoutMs} ms`), this.timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.reply = undefined;
      };
      this.reply = {
        resolve: (env) => {
          done();
          resolve(env);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      this.ask();
    });
  }
}
