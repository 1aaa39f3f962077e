import assert from 'node:assert/strict';
import { judgeHook } from '../../../src/core/doctor/judge';
import { installHookEntry } from '../../../src/core/hooks/hookConfig';
import { describeGeminiHookLoad, type GeminiHookLoad, geminiHookLoad, type GeminiSettingsTexts } from '../../../src/core/hooks/geminiTrust';

/**
 * Whether Gemini CLI runs the project hook, by the rules measured with Gemini CLI 0.61.0 (its
 * trustedFolders.json, folder-trust setting, trust variables and hooksConfig); the real CLI checks the
 * main cases in test/unit/agents/geminiCli.test.ts.
 */
const FOLDER = '/home/dev/work/project';

function load(texts: Partial<GeminiSettingsTexts> & { rules?: object; user?: object; system?: object; workspace?: object }): GeminiHookLoad {
  const json = (value: object | undefined) => (value === undefined ? undefined : JSON.stringify(value));
  return geminiHookLoad({
    folder: FOLDER,
    trustedFolders: texts.trustedFolders ?? json(texts.rules),
    userSettings: texts.userSettings ?? json(texts.user),
    systemSettings: json(texts.system),
    workspaceSettings: json(texts.workspace),
    env: texts.env ?? {},
    realPath: texts.realPath ?? ((path) => path),
  });
}

describe('Gemini CLI: does it run the project hook?', () => {
  it('only in a folder it trusts: the longest matching rule decides, TRUST_PARENT stands for the parent', () => {
    assert.equal(load({}).kind, 'not-loaded');
    assert.match(describeGeminiHookLoad(load({})), /does not trust \/home\/dev\/work\/project yet.*--skip-trust starts without it\): run gemini in this folder and choose "Trust folder"/);
    assert.equal(load({ rules: { [FOLDER]: 'TRUST_FOLDER' } }).kind, 'loaded');
    assert.equal(load({ rules: { '/home/dev/work': 'TRUST_FOLDER' } }).kind, 'loaded', 'a trusted parent');
    assert.equal(load({ rules: { '/home/dev/work/other': 'TRUST_PARENT' } }).kind, 'loaded', 'TRUST_PARENT of a sibling');
    assert.equal(load({ rules: { '/home/dev/work/projectile': 'TRUST_FOLDER' } }).kind, 'not-loaded', 'a prefix that is not a parent');
    assert.equal(load({ rules: { '/home/dev': 'TRUST_FOLDER', [FOLDER]: 'DO_NOT_TRUST' } }).kind, 'not-loaded');
    assert.equal(load({ rules: { '/home/dev': 'DO_NOT_TRUST', [FOLDER]: 'TRUST_FOLDER' } }).kind, 'loaded');
    assert.equal(load({ rules: { '/elsewhere': 'TRUST_FOLDER' }, realPath: (p) => (p === '/elsewhere' ? FOLDER : p) }).kind, 'loaded', 'compared as real paths');
  });

  it('folder trust off, and the trust variables of the environment gemini starts from', () => {
    assert.equal(load({ user: { security: { folderTrust: { enabled: false } } } }).kind, 'loaded');
    assert.equal(load({ user: { security: { folderTrust: { enabled: false } } }, system: { security: { folderTrust: { enabled: true } } } }).kind, 'not-loaded', 'the system overrides');
    assert.equal(load({ env: { GEMINI_CLI_TRUST_WORKSPACE: 'true' } }).kind, 'loaded');
    assert.equal(load({ rules: { [FOLDER]: 'TRUST_FOLDER' }, env: { GEMINI_CLI_TRUST_WORKSPACE: 'false' } }).kind, 'not-loaded');
    assert.equal(load({ rules: { [FOLDER]: 'TRUST_FOLDER' }, env: { GEMINI_RESTRICTED_MODE: 'true' } }).kind, 'not-loaded');
  });

  it('hooks turned off, or ours disabled by name, in any settings file', () => {
    const trusted = { rules: { [FOLDER]: 'TRUST_FOLDER' } };
    assert.equal(load({ ...trusted, user: { hooksConfig: { enabled: false } } }).kind, 'not-loaded');
    assert.equal(load({ ...trusted, user: { hooksConfig: { enabled: false } }, workspace: { hooksConfig: { enabled: true } } }).kind, 'loaded', 'the project overrides the user');
    assert.equal(load({ ...trusted, workspace: { hooksConfig: { disabled: ['countersign'] } } }).kind, 'not-loaded');
    assert.match(describeGeminiHookLoad(load({ ...trusted, system: { hooksConfig: { disabled: ['countersign'] } } })), /hooksConfig\.disabled .* lists "countersign": take it out/);
    assert.equal(load({ ...trusted, user: { hooksConfig: { disabled: ['another'] } } }).kind, 'loaded');
  });

  it('our entry in the user settings runs in every folder, trusted or not; only the user’s and the system’s hooks settings stop it', () => {
    const withEntry = JSON.parse((installHookEntry('gemini', '{"security": {}}') as { text: string }).text) as Record<string, unknown>;
    assert.equal(load({ user: withEntry }).kind, 'loaded', 'an undecided folder');
    assert.match(describeGeminiHookLoad(load({ user: withEntry })), /user settings runs in every folder/);
    assert.equal(load({ user: withEntry, rules: { [FOLDER]: 'DO_NOT_TRUST' } }).kind, 'loaded', 'a folder it was told not to trust');
    assert.equal(load({ user: { ...withEntry, hooksConfig: { enabled: false } } }).kind, 'not-loaded');
    assert.equal(load({ user: withEntry, system: { hooksConfig: { disabled: ['countersign'] } } }).kind, 'not-loaded');
    assert.equal(load({ user: { hooks: { BeforeTool: [{ matcher: 'run_shell_command', hooks: [] }] } } }).kind, 'not-loaded', 'another entry is not ours');
  });

  it('a file it cannot read is unknown, never loaded', () => {
    assert.equal(load({ trustedFolders: '{"a": ' }).kind, 'unknown');
    assert.equal(load({ rules: { [FOLDER]: 'TRUST_ME' } }).kind, 'unknown');
    assert.equal(load({ userSettings: '// comment\n{}' }).kind, 'unknown');
    assert.equal(load({ trustedFolders: '[]' }).kind, 'unknown');
  });

  it('the doctor: a current entry that answers is dead unless Gemini CLI runs it', () => {
    const run = { kind: 'exited', exitCode: 0, stdout: '{"decision":"deny","reason":"x"}', stderr: '' } as const;
    const entry = { kind: 'current', file: `${FOLDER}/.gemini/settings.json` } as const;
    assert.equal(judgeHook({ agent: 'gemini', entry, run, geminiLoad: { kind: 'loaded', why: 'trusted' } }).status, 'live');
    const dead = judgeHook({ agent: 'gemini', entry, run, geminiLoad: load({}) });
    assert.equal(dead.status, 'dead');
    assert.match(dead.detail, /does not trust/);
    assert.equal(judgeHook({ agent: 'gemini', entry, run }).status, 'dead', 'not asked: not live');
  });
});
