import assert from 'node:assert/strict';
import {
  BackendConfig,
  defaultLocalStatePath,
  MAX_BACKEND_FILE_CHARS,
  readBackendConfig,
  selectedWorkspace,
  StateLocation,
  stateLocation,
  workingDirectoryFiles,
} from '../../../src/core/terraform/backendConfig';

/**
 * What terraform 1.11.4 `init` wrote to `.terraform/terraform.tfstate`, byte for byte, for the backend
 * blocks named (the integration test in backendCheck.test.ts reads files real `init` writes there).
 */
const INIT_WROTE = {
  localPath: `{
  "version": 3,
  "terraform_version": "1.11.4",
  "backend": {
    "type": "local",
    "config": {
      "path": "../other/real.tfstate",
      "workspace_dir": null
    },
    "hash": 233110021
  }
}`,
  localWorkspaceDir: `{
  "version": 3,
  "terraform_version": "1.11.4",
  "backend": {
    "type": "local",
    "config": {
      "path": null,
      "workspace_dir": "/srv/states"
    },
    "hash": 208944977
  }
}`,
  http: `{
  "version": 3,
  "terraform_version": "1.11.4",
  "backend": {
    "type": "http",
    "config": {
      "address": "http://127.0.0.1:18777/state",
      "client_ca_certificate_pem": null,
      "client_certificate_pem": null,
      "client_private_key_pem": null,
      "lock_address": null,
      "lock_method": null,
      "password": null,
      "retry_max": null,
      "retry_wait_max": null,
      "retry_wait_min": null,
      "skip_cert_verification": null,
      "unlock_address": null,
      "unlock_method": null,
      "update_method": null,
      "username": null
    },
    "hash": 3307601501
  }
}`,
  /** After the backend block was removed and `init -migrate-state` moved the state back. */
  backendRemoved: `{
  "version": 3,
  "terraform_version": "1.11.4"
}`,
};

const DIR = '/work/stack';

interface LocationCase {
  readonly name: string;
  /** The backend file's text; undefined: there is none. */
  readonly text: string | undefined;
  readonly workspace?: string;
  readonly location: StateLocation;
}

/** In the manner of ESLint's RuleTester: where each recorded backend puts the selected workspace's state. */
const LOCATIONS: { readonly valid: readonly LocationCase[]; readonly invalid: readonly LocationCase[] } = {
  valid: [
    { name: 'no backend file: the implied local backend, terraform.tfstate here', text: undefined, location: { kind: 'local-here', statePath: '/work/stack/terraform.tfstate' } },
    {
      name: 'no backend file, workspace dev: terraform.tfstate.d/dev',
      text: undefined,
      workspace: 'dev',
      location: { kind: 'local-here', statePath: '/work/stack/terraform.tfstate.d/dev/terraform.tfstate' },
    },
    { name: 'backend block removed (init wrote no backend): the implied local backend', text: INIT_WROTE.backendRemoved, location: { kind: 'local-here', statePath: '/work/stack/terraform.tfstate' } },
    { name: 'local backend with path ../other/real.tfstate: the file elsewhere', text: INIT_WROTE.localPath, location: { kind: 'local-elsewhere', statePath: '/work/other/real.tfstate' } },
    {
      name: 'local backend with a path, workspace dev: the path is only the default workspace’s',
      text: INIT_WROTE.localPath,
      workspace: 'dev',
      location: { kind: 'local-here', statePath: '/work/stack/terraform.tfstate.d/dev/terraform.tfstate' },
    },
    { name: 'local backend with workspace_dir, default workspace: terraform.tfstate here', text: INIT_WROTE.localWorkspaceDir, location: { kind: 'local-here', statePath: '/work/stack/terraform.tfstate' } },
    {
      name: 'local backend with workspace_dir /srv/states, workspace prod: /srv/states/prod',
      text: INIT_WROTE.localWorkspaceDir,
      workspace: 'prod',
      location: { kind: 'local-elsewhere', statePath: '/srv/states/prod/terraform.tfstate' },
    },
    { name: 'http backend: remote', text: INIT_WROTE.http, location: { kind: 'remote', backendType: 'http' } },
    {
      name: 'local backend whose path spells terraform.tfstate here another way (derived: path ./x/../terraform.tfstate)',
      text: INIT_WROTE.localPath.replace('../other/real.tfstate', './x/../terraform.tfstate'),
      location: { kind: 'local-here', statePath: '/work/stack/terraform.tfstate' },
    },
  ],
  invalid: [
    { name: 'not JSON (truncated)', text: INIT_WROTE.http.slice(0, 40), location: { kind: 'unknown', reason: 'The backend file terraform init wrote is not JSON; run terraform init again.' } },
    {
      name: 'another format version (derived: version 4)',
      text: INIT_WROTE.http.replace('"version": 3', '"version": 4'),
      location: { kind: 'unknown', reason: 'The backend file terraform init wrote has format version 4, not 3; run terraform init again.' },
    },
    {
      name: 'no format version (derived: version removed)',
      text: INIT_WROTE.http.replace('"version": 3,', ''),
      location: { kind: 'unknown', reason: 'The backend file terraform init wrote has no format version; run terraform init again.' },
    },
    { name: 'a JSON list', text: '[]', location: { kind: 'unknown', reason: 'The backend file terraform init wrote is not a JSON object; run terraform init again.' } },
    {
      name: 'a backend without a type (derived: type removed)',
      text: INIT_WROTE.http.replace('"type": "http",', ''),
      location: { kind: 'unknown', reason: 'The backend file terraform init wrote names no backend type; run terraform init again.' },
    },
    {
      name: 'a local path that is not text (derived: path 7)',
      text: INIT_WROTE.localPath.replace('"../other/real.tfstate"', '7'),
      location: { kind: 'unknown', reason: 'The backend file terraform init wrote has a local backend path that is not text; run terraform init again.' },
    },
    {
      name: `larger than ${MAX_BACKEND_FILE_CHARS} characters`,
      text: INIT_WROTE.http.replace('"hash"', `"pad": "${'x'.repeat(MAX_BACKEND_FILE_CHARS)}", "hash"`),
      location: { kind: 'unknown', reason: `The backend file terraform init wrote is larger than ${MAX_BACKEND_FILE_CHARS} characters, so it is not one; run terraform init again.` },
    },
    { name: 'workspace ".." would leave the workspace folder', text: undefined, workspace: '..', location: { kind: 'unknown', reason: 'The workspace name ".." is not one terraform accepts.' } },
    { name: 'workspace "a/b" is two path segments', text: INIT_WROTE.localWorkspaceDir, workspace: 'a/b', location: { kind: 'unknown', reason: 'The workspace name "a/b" is not one terraform accepts.' } },
  ],
};

describe('backend config: where terraform keeps the state of a working directory', () => {
  for (const [group, cases] of Object.entries(LOCATIONS)) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => assert.deepEqual(stateLocation(readBackendConfig(c.text), DIR, c.workspace ?? 'default'), c.location));
      }
    });
  }

  it('keeps only the type and the local paths: never the rest of the config, which can hold credentials', () => {
    const withPassword = INIT_WROTE.http.replace('"password": null', '"password": "s3cr3t"');
    const config: BackendConfig = readBackendConfig(withPassword);
    assert.deepEqual(config, { kind: 'remote', type: 'http' });
    assert.doesNotMatch(JSON.stringify(stateLocation(config, DIR, 'default')), /s3cr3t|127\.0\.0\.1/);
  });

  it('the default local path is terraform.tfstate, or the workspace’s under terraform.tfstate.d', () => {
    assert.equal(defaultLocalStatePath('/work/stack/', 'default'), '/work/stack/terraform.tfstate');
    assert.equal(defaultLocalStatePath('/work/stack', 'prod'), '/work/stack/terraform.tfstate.d/prod/terraform.tfstate');
  });

  const WORKSPACES: readonly { readonly name: string; readonly env?: string; readonly file?: string; readonly workspace: string }[] = [
    { name: 'neither: default', workspace: 'default' },
    { name: 'the file workspace select wrote', file: 'prod', workspace: 'prod' },
    { name: 'TF_WORKSPACE over the file', env: 'staging', file: 'prod', workspace: 'staging' },
    { name: 'an empty TF_WORKSPACE is unset', env: '', file: 'prod', workspace: 'prod' },
    { name: 'the file’s trailing newline is not part of the name', file: 'prod\n', workspace: 'prod' },
    { name: 'a blank file: default', file: ' \n', workspace: 'default' },
  ];
  for (const w of WORKSPACES) {
    it(`selected workspace: ${w.name}`, () => assert.equal(selectedWorkspace(w.env, w.file), w.workspace));
  }

  const DATA_DIRS: readonly { readonly name: string; readonly tfDataDir?: string; readonly backendFile: string }[] = [
    { name: 'default .terraform', backendFile: '/work/stack/.terraform/terraform.tfstate' },
    { name: 'TF_DATA_DIR relative to the working directory', tfDataDir: '../data/stack', backendFile: '/work/data/stack/terraform.tfstate' },
    { name: 'TF_DATA_DIR absolute', tfDataDir: '/var/tf/stack', backendFile: '/var/tf/stack/terraform.tfstate' },
  ];
  for (const d of DATA_DIRS) {
    it(`data dir: ${d.name}`, () => {
      const files = workingDirectoryFiles(DIR, d.tfDataDir);
      assert.equal(files.backendFile, d.backendFile);
      assert.equal(files.environmentFile, d.backendFile.replace(/terraform\.tfstate$/, 'environment'));
    });
  }
});
