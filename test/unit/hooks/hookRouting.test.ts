import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHook } from '../../../src/cli/hook';
import { type AskGate, type HookDeps, MAX_WAIT_MS } from '../../../src/node/hooks/answerHook';
import type { SocketCheckRequest } from '../../../src/core/gate/socketProtocol';
import type { Decision } from '../../../src/core/gate/types';
import { ASK_AGAIN_REASON, KILLED_REASON } from '../../../src/core/hooks/agentHooks';
import { engineVerdict } from '../../../src/cli/hookEngine';
import type { GateAddress } from '../../../src/node/socket/advertise';
import { type GateAnswer, GateClientError } from '../../../src/node/socket/gateClient';
import { check } from '../../helpers/engine';

/**
 * The routing inside `countersign hook`: which gate it asks, what it sends, and how each answer or
 * failure becomes the agent's answer. The gate client here is a recording fake that answers or fails
 * the way the real one does (the real socket is exercised in hookCli.test.ts); the engine is the real one.
 */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
  asked: { gate: GateAddress; request: SocketCheckRequest; timeoutMs: number }[];
}

function fakeGateClient(answer: (request: SocketCheckRequest) => Promise<GateAnswer>, asked: Run['asked']): AskGate {
  return (gate, request, options) => {
    asked.push({ gate, request, timeoutMs: options.timeoutMs });
    return answer(request);
  };
}

async function run(
  agent: string,
  input: object | string,
  options: { env?: Record<string, string>; cwd?: string; answer?: (request: SocketCheckRequest) => Promise<GateAnswer>; advertised?: GateAddress } = {},
): Promise<Run> {
  const asked: Run['asked'] = [];
  let stdout = '';
  let stderr = '';
  const deps: HookDeps = {
    askGate: fakeGateClient(options.answer ?? (() => Promise.reject(new Error('the gate should not be asked'))), asked),
    findGate: () => Promise.resolve(options.advertised),
    engineVerdict,
  };
  const code = await runHook(
    [agent],
    {
      readStdin: () => Promise.resolve(typeof input === 'string' ? input : JSON.stringify(input)),
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: options.env ?? {},
      cwd: options.cwd ?? tmpdir(),
    },
    deps,
  );
  return { code, stdout, stderr, asked };
}

function claudeInput(command: string, cwd = '/home/dev/project'): object {
  return { session_id: 's', transcript_path: '/t.jsonl', cwd, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } };
}

function decision(stdout: string): string {
  return (JSON.parse(stdout) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision;
}

const ENV_GATE = { COUNTERSIGN_GATE_SOCKET: '/run/cs/gate.sock', COUNTERSIGN_GATE_TOKEN: 'f00d' };

async function answered(command: string, d: Decision): Promise<GateAnswer> {
  return { verdict: await check(command), decision: d };
}

describe('countersign hook: routing through the gate', () => {
  it('sends the exact command, its cwd, the door and the agent to the gate named in the environment', async () => {
    const r = await run('claude', claudeInput('terraform destroy -auto-approve', '/home/dev/project/infra'), {
      env: { ...ENV_GATE, TF_WORKSPACE: 'prod', AWS_PROFILE: 'ops' },
      answer: (req) => answered(req.command, { kind: 'run' }),
    });
    assert.deepEqual(r.asked, [
      {
        gate: { socketPath: '/run/cs/gate.sock', token: 'f00d' },
        // The agent's environment (without the gate's own variables) is what the command runs with, for the plan preview.
        request: {
          command: 'terraform destroy -auto-approve',
          cwd: '/home/dev/project/infra',
          source: 'hook',
          agent: 'Claude Code',
          env: { TF_WORKSPACE: 'prod', AWS_PROFILE: 'ops' },
        },
        timeoutMs: MAX_WAIT_MS,
      },
    ]);
    assert.equal(r.code, 0);
    assert.equal(decision(r.stdout), 'allow', 'a person approved it in the panel');
  });

  it('an allowed command gets no decision; deny, kill switch and a person too slow are denials', async () => {
    const allowed = await run('claude', claudeInput('ls -la'), { env: ENV_GATE, answer: (req) => answered(req.command, { kind: 'run' }) });
    assert.deepEqual([allowed.code, allowed.stdout], [0, '']);

    const denied = await run('claude', claudeInput('terraform destroy'), { env: ENV_GATE, answer: (req) => answered(req.command, { kind: 'cancel', reason: 'denied' }) });
    assert.equal(decision(denied.stdout), 'deny');
    assert.match(denied.stdout, /A person denied this command/);

    const killed = await run('cursor', { hook_event_name: 'beforeShellExecution', command: 'terraform destroy', cwd: '/w', workspace_roots: ['/w'] }, {
      env: ENV_GATE,
      answer: (req) => answered(req.command, { kind: 'cancel', reason: 'killed' }),
    });
    assert.deepEqual(JSON.parse(killed.stdout), { permission: 'deny', user_message: KILLED_REASON, agent_message: KILLED_REASON });

    const slow = await run('gemini', { hook_event_name: 'BeforeTool', cwd: '/w', tool_name: 'run_shell_command', tool_input: { command: 'terraform destroy' } }, {
      env: { ...ENV_GATE, COUNTERSIGN_HOOK_WAIT_SECONDS: '5' },
      answer: async (req) => Promise.reject(new GateClientError('timeout', 'no decision within 5 s', await check(req.command))),
    });
    assert.equal(slow.asked[0].timeoutMs, 5000);
    assert.deepEqual(JSON.parse(slow.stdout), {
      decision: 'deny',
      reason: ASK_AGAIN_REASON,
      systemMessage: ASK_AGAIN_REASON,
    });
  });

  it('an unreachable gate leaves the engine to answer; a gate that refuses, garbles or hangs holds the command', async () => {
    const gone = await run('claude', claudeInput('terraform destroy'), {
      env: ENV_GATE,
      answer: () => Promise.reject(new GateClientError('unreachable', 'the gate at /run/cs/gate.sock is not reachable (ECONNREFUSED)')),
    });
    assert.equal(decision(gone.stdout), 'ask');
    assert.match(gone.stdout, /terraform\.destroy/);
    assert.match(gone.stderr, /not reachable \(ECONNREFUSED\); checking with the engine alone/);

    for (const failure of [
      new GateClientError('refused', 'the gate refused the request: wrong token'),
      new GateClientError('protocol', 'the gate sent two verdicts'),
      new GateClientError('timeout', 'the gate gave no verdict within 10 s'),
      new Error('something else'),
    ]) {
      const held = await run('claude', claudeInput('ls'), { env: ENV_GATE, answer: () => Promise.reject(failure) });
      assert.equal(decision(held.stdout), 'deny', failure.message);
      assert.ok(held.stdout.includes(`did not answer properly (${failure.message})`), held.stdout);
    }
  });

  it('a window that closes while the command waits for review leaves it denied', async () => {
    const closed = await run('claude', claudeInput('terraform destroy'), {
      env: ENV_GATE,
      answer: async (req) => Promise.reject(new GateClientError('unreachable', 'the gate went away before deciding', await check(req.command))),
    });
    assert.equal(decision(closed.stdout), 'deny');
    assert.match(closed.stdout, /closed before anyone decided/);
  });

  it('without the environment it asks the gate advertised for the folder', async () => {
    const r = await run('claude', claudeInput('terraform destroy'), {
      advertised: { socketPath: '/run/user/1000/countersign-x/gate.sock', token: 'beef' },
      answer: (req) => answered(req.command, { kind: 'cancel', reason: 'denied' }),
    });
    assert.equal(r.asked[0].gate.token, 'beef');
    assert.equal(decision(r.stdout), 'deny');
  });

  it('waits at most MAX_WAIT_MS, below the timeout the hook is installed with', async () => {
    const r = await run('claude', claudeInput('ls'), { env: { ...ENV_GATE, COUNTERSIGN_HOOK_WAIT_SECONDS: '100000' }, answer: (req) => answered(req.command, { kind: 'run' }) });
    assert.equal(r.asked[0].timeoutMs, MAX_WAIT_MS);
    assert.equal(MAX_WAIT_MS, 570_000);
  });
});

describe('countersign hook: the engine alone', () => {
  it('asks about a risky command and says nothing about a safe one', async () => {
    const risky = await run('claude', claudeInput('rm -rf /'));
    assert.equal(risky.code, 0);
    assert.equal(decision(risky.stdout), 'ask');
    const safe = await run('claude', claudeInput('git status'));
    assert.deepEqual([safe.code, safe.stdout, safe.stderr], [0, '', '']);
  });

  it('reads the project’s policy from the folder the agent names, not only the cwd', async () => {
    const root = mkdtempSync(join(tmpdir(), 'countersign-policy-'));
    mkdirSync(join(root, '.countersign'));
    mkdirSync(join(root, 'web'));
    writeFileSync(
      join(root, '.countersign/policy.json'),
      JSON.stringify({
        version: 1,
        rules: [{ id: 'policy.no-cowsay', tools: ['cowsay'], severity: 'high', title: 'Moos in production', why: 'House rule.', saferAlternative: 'Use echo.' }],
      }),
    );
    const input = claudeInput('cowsay hi', join(root, 'web'));
    assert.equal((await run('claude', input)).stdout, '', 'without the project folder the policy is not found');
    const withProject = await run('claude', input, { env: { CLAUDE_PROJECT_DIR: root } });
    assert.equal(decision(withProject.stdout), 'ask');
    assert.match(withProject.stdout, /policy\.no-cowsay/);
  });

  it('blocks with exit 2 on input it cannot read or an unknown agent, and leaves other tools alone', async () => {
    const garbage = await run('claude', '{"tool_name": "Bash"');
    assert.equal(garbage.code, 2);
    assert.match(garbage.stderr, /^countersign: blocked: the hook input is not JSON/);
    const unknown = await run('aider', claudeInput('ls'));
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown hook aider/);
    const edit = await run('claude', { ...claudeInput('x'), tool_name: 'Edit' });
    assert.deepEqual([edit.code, edit.stdout], [0, '']);
  });
});
