/**
 * Watches terminal output for Terraform's and OpenTofu's own confirmation prompt, so that a `yes` typed
 * into a run the gate never saw (started outside our hook, or before the terminal was guarded) is held
 * for approval like a command line.
 *
 * Both tools ask through the same UI input (internal/backend/local/backend_apply.go, ui_input.go):
 *
 *     [bold]\nDo you really want to destroy all resources[ in workspace "<name>"]?[reset]
 *       Terraform|OpenTofu will destroy all your managed infrastructure, as shown above.
 *       There is no undo. Only 'yes' will be accepted to confirm.
 *
 *       [bold]Enter a value:[reset] ␠
 *
 * and for apply "Do you want to perform these actions[ in workspace "<name>"]?" with "… will perform the
 * actions described above. / Only 'yes' will be accepted to approve." The same "Enter a value:" also asks
 * for variables, so only a prompt a few lines below one of these questions counts.
 */

export interface ConfirmationPrompt {
  readonly action: 'destroy' | 'apply';
  /** Absent for the default workspace, which the tools do not name. */
  readonly workspace?: string;
  /** The question as printed, without colour. */
  readonly question: string;
}

/** The prompt is printed last, then the tool blocks on input: the tail of the output is enough. */
const WINDOW = 4096;
/** Question, two description lines, a blank line, then the prompt; a little slack for wrappers. */
const MAX_LINES_ABOVE = 8;
const ENTER_A_VALUE = 'Enter a value:';
const PROMPT_LINE = /^[ \t]*Enter a value:/;
const QUESTION = /^[ \t]*(Do you really want to destroy(?: all resources)?|Do you want to perform these actions)(?: in workspace "(.*)")?\?[ \t]*$/;
// CSI, OSC (to BEL or ST), DCS/SOS/PM/APC strings, other ESC sequences, and the C0 controls that do not
// lay out lines (CR and LF stay for the line structure, TAB for the text).
// eslint-disable-next-line no-control-regex -- escape sequences and control characters are the point
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~])?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]/g;

export class PromptWatch {
  /**
   * Recent raw output, at least the last WINDOW characters. This runs on all output: it is cut back to
   * WINDOW only once it has doubled, so appending stays cheap.
   */
  private recent = '';
  /** The raw text since the last newline (bounded): the only part the cheap test needs. */
  private lastLine = '';
  private prompt: ConfirmationPrompt | undefined;

  /** Reads the next chunk of output; returns the prompt the terminal now sits at, if any. */
  feed(output: string): ConfirmationPrompt | undefined {
    this.recent += output;
    if (this.recent.length >= 2 * WINDOW) this.recent = this.recent.slice(-WINDOW);
    const newline = output.lastIndexOf('\n');
    this.lastLine = newline >= 0 ? output.slice(newline + 1) : (this.lastLine + output).slice(-WINDOW);
    // Cheap test first: the raw last line must hold the prompt text (colour codes wrap it, not split it).
    if (!this.lastLine.includes(ENTER_A_VALUE)) {
      this.prompt = undefined;
      return undefined;
    }
    // Echoed keystrokes of the answer keep us at the same prompt: keep the same object.
    this.prompt ??= confirmationAtEnd(this.recent.slice(-WINDOW).replace(ANSI, '').replace(/\r/g, ''));
    return this.prompt;
  }

  get current(): ConfirmationPrompt | undefined {
    return this.prompt;
  }
}

/** The confirmation prompt that `text` (no colour, no CR) ends at, if any. */
export function confirmationAtEnd(text: string): ConfirmationPrompt | undefined {
  const lines = text.split('\n');
  if (!PROMPT_LINE.test(lines[lines.length - 1])) return undefined;
  for (let k = lines.length - 2; k >= Math.max(0, lines.length - 1 - MAX_LINES_ABOVE); k--) {
    if (PROMPT_LINE.test(lines[k])) return undefined;
    const m = QUESTION.exec(lines[k]);
    if (!m) continue;
    return {
      action: m[1].startsWith('Do you really want to destroy') ? 'destroy' : 'apply',
      ...(m[2] !== undefined ? { workspace: m[2] } : {}),
      question: lines[k].trim(),
    };
  }
  return undefined;
}
