import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Decision } from '../../../src/core/gate/types';
import type { CountersignApi } from '../../../src/extension/extension';
import { PROFILE_ID } from '../../../src/extension/ids';
import { SETTING_DEFAULTS } from '../../../src/extension/settingDefaults';
import { activateCountersign, waitFor } from './support';

// No dangling contribution: everything package.json contributes, as VS Code loaded it, resolves to
// something the running extension provides (command handlers, files, settings it reads). The views'
// data providers are checked in the workbench (test/e2e/ui/contributions.test.ts).

interface Step {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly media: { readonly markdown?: string; readonly image?: string; readonly altText?: string };
  readonly completionEvents?: readonly string[];
}

interface Manifest {
  readonly contributes: {
    readonly commands: readonly { readonly command: string }[];
    readonly keybindings: readonly { readonly command: string }[];
    readonly menus: Readonly<Record<string, readonly { readonly command: string }[]>>;
    readonly viewsWelcome: readonly { readonly view: string; readonly contents: string }[];
    readonly viewsContainers: Readonly<Record<string, readonly { readonly id: string; readonly icon: string }[]>>;
    readonly views: Readonly<Record<string, readonly { readonly id: string }[]>>;
    readonly walkthroughs: readonly { readonly id: string; readonly title: string; readonly steps: readonly Step[] }[];
    readonly configuration: { readonly properties: Readonly<Record<string, { readonly default: unknown }>> };
    readonly configurationDefaults: Readonly<Record<string, unknown>>;
    readonly terminal: { readonly profiles: readonly { readonly id: string }[] };
    readonly jsonValidation: readonly { readonly url: string }[];
  };
}

const commandLinks = (text: string): string[] => [...text.matchAll(/\(command:([\w.-]+)/g)].map((m) => m[1]);

describe('contributions', () => {
  let api: CountersignApi;
  let manifest: Manifest;
  let root: string;

  before(async () => {
    api = await activateCountersign();
    const extension = vscode.extensions.getExtension('countersign.countersign');
    assert.ok(extension);
    manifest = extension.packageJSON as Manifest;
    root = extension.extensionPath;
  });

  it('every command the manifest names anywhere is contributed, registered with VS Code and handled by the runtime', async () => {
    const { contributes } = manifest;
    const contributed = new Set(contributes.commands.map((c) => c.command));
    const walkthroughSteps = contributes.walkthroughs.flatMap((w) => w.steps);
    const skipShell = contributes.configurationDefaults['terminal.integrated.commandsToSkipShell'] as string[];
    const references: [where: string, command: string][] = [
      ...contributes.commands.map((c): [string, string] => ['commands', c.command]),
      ...walkthroughSteps.flatMap((s) => commandLinks(s.description).map((c): [string, string] => [`walkthrough step ${s.id} link`, c])),
      ...walkthroughSteps.flatMap((s) =>
        (s.completionEvents ?? []).filter((e) => e.startsWith('onCommand:')).map((e): [string, string] => [`walkthrough step ${s.id} completion`, e.slice('onCommand:'.length)]),
      ),
      ...contributes.viewsWelcome.flatMap((w) => commandLinks(w.contents).map((c): [string, string] => [`viewsWelcome ${w.view}`, c])),
      ...contributes.keybindings.map((k): [string, string] => ['keybindings', k.command]),
      ...Object.entries(contributes.menus).flatMap(([menu, items]) => items.map((i): [string, string] => [`menu ${menu}`, i.command])),
      ...skipShell.map((c): [string, string] => ['terminal.integrated.commandsToSkipShell', c]),
    ];
    // Every place is read: five walkthrough buttons (two on the last step), five completion commands, …
    assert.ok(references.length >= contributed.size + 15, `found ${references.length} references`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const handled = new Set(api.handledCommands);
    for (const [where, command] of references) {
      assert.ok(contributed.has(command), `${where}: ${command} is a contributed command`);
      assert.ok(registered.has(command), `${where}: ${command} is registered with VS Code`);
      assert.ok(handled.has(command), `${where}: ${command} has a runtime handler`);
    }
    const skipShellNow = vscode.workspace.getConfiguration('terminal.integrated').get<string[]>('commandsToSkipShell') ?? [];
    for (const command of skipShell) assert.ok(skipShellNow.includes(command), `VS Code applied the default: ${command} skips the shell`);
  });

  it('the walkthrough has the five steps, each with a button, a completion event and media that ships', () => {
    const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === 'countersign.gettingStarted');
    assert.ok(walkthrough, 'countersign.gettingStarted is contributed');
    assert.equal(walkthrough.title, 'Get started with Countersign');
    assert.deepEqual(
      walkthrough.steps.map((s) => s.title),
      ['Open a guarded terminal', 'Make it the default terminal profile', 'Install the agent hooks', 'Try the demo', 'Find the kill switch'],
    );
    for (const step of walkthrough.steps) {
      assert.ok(commandLinks(step.description).length > 0, `${step.id} has a command button`);
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} has a completion event`);
      const file = step.media.markdown ?? step.media.image;
      assert.ok(file && existsSync(path.join(root, file)), `${step.id}: ${file} is in the extension folder`);
      if (step.media.image) assert.ok((step.media.altText ?? '').length > 20, `${step.id}: the image has alt text`);
    }
    const killSwitch = walkthrough.steps[4];
    assert.match(killSwitch.description, /Ctrl\+Alt\+K/);
    assert.match(killSwitch.description, /Cmd\+Alt\+K/);
    assert.match(killSwitch.description, /re-arm/i);
  });

  it('every setting is known to VS Code with the manifest default, and they are exactly the ones the extension reads', () => {
    const properties = manifest.contributes.configuration.properties;
    const keys = Object.keys(properties).map((key) => key.replace(/^countersign\./, ''));
    assert.deepEqual([...keys].sort(), Object.keys(SETTING_DEFAULTS).sort());
    const config = vscode.workspace.getConfiguration('countersign');
    for (const key of keys) {
      assert.deepEqual(config.inspect(key)?.defaultValue, properties[`countersign.${key}`].default, `${key}: VS Code's default is the manifest's`);
      assert.deepEqual(config.inspect(key)?.defaultValue, SETTING_DEFAULTS[key as keyof typeof SETTING_DEFAULTS], `${key}: the reader falls back to the same`);
    }
  });

  it('the views sit in a contributed container, and their files and the schema ship', () => {
    const { viewsContainers, views, viewsWelcome, jsonValidation, terminal } = manifest.contributes;
    const containers = Object.values(viewsContainers).flat();
    for (const container of containers) assert.ok(existsSync(path.join(root, container.icon)), `${container.id}: ${container.icon}`);
    const viewIds = new Set<string>();
    for (const [container, list] of Object.entries(views)) {
      assert.ok(containers.some((c) => c.id === container), `${container} is a contributed container`);
      for (const view of list) viewIds.add(view.id);
    }
    assert.deepEqual([...viewIds].sort(), ['countersign.pending', 'countersign.sessions']);
    for (const welcome of viewsWelcome) assert.ok(viewIds.has(welcome.view), `viewsWelcome names ${welcome.view}`);
    for (const { url } of jsonValidation) assert.ok(existsSync(path.join(root, url)), url);
    assert.deepEqual(
      terminal.profiles.map((p) => p.id),
      [PROFILE_ID],
    );
  });
});

describe('severity threshold setting', () => {
  let api: CountersignApi;
  const setThreshold = (value: string | undefined) =>
    vscode.workspace.getConfiguration('countersign').update('severityThreshold', value, vscode.ConfigurationTarget.Global);

  before(async () => {
    api = await activateCountersign();
  });
  after(() => setThreshold(undefined));

  /** Submits through the real gate and, for a paused line, withdraws it again. */
  function submit(command: string): { verdict: string; decision: Promise<Decision>; id: string } {
    const submission = api.gate.submit({ command, source: 'hook', agent: 'contributions-test' });
    return { verdict: submission.verdict.verdict, decision: submission.decision, id: submission.id };
  }

  it('lets a line with only lower findings run, records its findings, and still pauses what is at or above it', async () => {
    await setThreshold('high');
    const medium = submit('kubectl delete pod web-1');
    assert.equal(medium.verdict, 'allow', 'a medium finding runs at threshold high');
    assert.deepEqual(await medium.decision, { kind: 'run' });
    const record = await waitFor('the audit record of the line that ran', () =>
      readFileSync(api.auditPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; verdict: string; decidedBy: string; findings: { ruleId: string }[] })
        .find((r) => r.id === medium.id),
    );
    assert.equal(record.verdict, 'allow');
    assert.equal(record.decidedBy, 'engine');
    assert.deepEqual(
      record.findings.map((f) => f.ruleId),
      ['kubernetes.delete'],
    );

    for (const command of ['terraform destroy -auto-approve', 'eval "$PAYLOAD"']) {
      const paused = submit(command);
      assert.equal(paused.verdict, 'pause', `${command} pauses at threshold high`);
      assert.equal(api.gate.cancel(paused.id, 'interrupted'), true);
    }

    await setThreshold(undefined);
    const again = submit('kubectl delete pod web-1');
    assert.equal(again.verdict, 'pause', 'back to the default (low): every finding pauses');
    assert.equal(api.gate.cancel(again.id, 'interrupted'), true);
  });
});
