/**
 * Masks secrets in command lines and free text before they reach the audit log: only the secret part
 * is replaced, so the command stays readable (`mysql -u root -p‹redacted› shop`). Three kinds of rule,
 * all data below: token shapes found anywhere (AWS key ids, GitHub and Slack tokens, JWTs, private key
 * blocks, passwords in URLs, Authorization headers…), secret-named assignments and flags in shell words
 * (`PGPASSWORD=…`, `--client-secret …`, `Password=…;` in connection strings), and per-tool options
 * whose meaning depends on the program (`-p` is a password for mysql and sshpass, a port for docker,
 * psql and ssh).
 */
import { toolName } from '../engine/invocation';
import { wrappedCommandStart } from '../engine/unwrap';
import { splitCommands, TextRange, Word } from './shellWords';

export const REDACTED = '‹redacted›';

export interface Redaction {
  readonly text: string;
  /** How many separate secrets were masked. */
  readonly redactions: number;
}

/** A command line with its secrets masked, program-specific options included. */
export function redactCommand(line: string): Redaction {
  return redact(line, true);
}

/** Free text (a finding's detail, a plan headline): token shapes, secret assignments and flags. */
export function redactText(text: string): Redaction {
  return redact(text, false);
}

function redact(text: string, commandAware: boolean): Redaction {
  const ranges = [...patternRanges(text), ...wordRanges(text, commandAware, 0)].filter((r) => r.end > r.start && !isExpansionOnly(text.slice(r.start, r.end)));
  const merged = mergeRanges(ranges);
  let out = '';
  let at = 0;
  for (const r of merged) {
    out += text.slice(at, r.start) + REDACTED;
    at = r.end;
  }
  return { text: out + text.slice(at), redactions: merged.length };
}

// ── secret names ─────────────────────────────────────────────────────────────────────────────────

/** A name part that is a secret on its own (`PGPASSWORD`, `GITHUB_TOKEN`, `client-secret`, `x-api-key`'s `apikey`…). */
const SECRET_PART = /(?:password|passwd|passphrase|secrets?|tokens?|apikey|credentials?|authorization|cookie)$/;
/** Short last parts that name a secret too: `MYSQL_PWD`, `REDISCLI_AUTH`, redis-cli's `--pass`, a SAS `sig` (not `auth.user`). */
const SHORT_SECRET_PARTS = new Set(['pass', 'pwd', 'auth', 'sig', 'signature']);
/** `<part>_key` names: `api_key`, `AccessKey`, `private-key`. A bare `key` is usually a name or a file. */
const KEY_PREFIXES = new Set(['api', 'access', 'account', 'private', 'secret', 'master', 'signing', 'encryption', 'client', 'session', 'shared']);
/** A last part that makes the value a pointer or a property of the secret, not the secret: `TOKEN_FILE`, `--password-stdin`. */
const POINTER_PARTS = new Set([
  'file', 'path', 'dir', 'url', 'uri', 'endpoint', 'host', 'hostname', 'port', 'sock', 'socket', 'name', 'type', 'id', 'arn', 'ttl', 'length', 'len',
  'expiry', 'expiration', 'expires', 'stdin', 'env', 'command', 'cmd', 'prompt', 'policy', 'version', 'mode', 'format', 'ref',
]);
/** A first part that makes the flag a switch about the secret: `--no-password`, `--ask-vault-pass`, `--with-token`. */
const SWITCH_PARTS = new Set(['no', 'ask', 'prompt', 'skip', 'show', 'generate', 'with', 'without', 'use']);

/** Whether a variable, flag, header or key name holds a secret. `PWD` alone is the working directory. */
function isSecretName(name: string, inList = false): boolean {
  const parts = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.-]+/)
    .filter((p) => p !== '');
  const last = parts[parts.length - 1];
  if (parts.length === 0 || SWITCH_PARTS.has(parts[0]) || POINTER_PARTS.has(last)) return false;
  if (parts.length === 1 && last === 'pwd' && !inList) return false;
  return SHORT_SECRET_PARTS.has(last) || parts.some((p, i) => SECRET_PART.test(p) || (KEY_PREFIXES.has(p) && parts[i + 1] === 'key'));
}

// ── token shapes and headers, anywhere in the text ───────────────────────────────────────────────

interface PatternRule {
  /** Named group `s` is the secret; flags must include `d` (indices) and `g`. */
  readonly pattern: RegExp;
  /** Further condition on the named groups (a secret-looking key name). */
  readonly when?: (groups: Record<string, string>) => boolean;
}

const secretKeyName = (g: Record<string, string>): boolean => isSecretName(g.n);

/** Authentication schemes kept in view before an Authorization value. */
const AUTH_SCHEME = String.raw`(?:(?:bearer|basic|token|digest|negotiate|ntlm|apikey|api-key|key|sso-key|aws4-hmac-sha256)\s+)?`;

/** URL schemes of database connection strings (a driver may follow: `postgresql+psycopg2://`). */
const DATABASE_SCHEMES = '(?:postgres|postgresql|mysql|mysqlx|mariadb|mongodb|mongodb\\+srv|redis|rediss|sqlserver|cockroachdb|clickhouse)';

const PATTERN_RULES: readonly PatternRule[] = [
  // AWS access key ids (access keys, temporary keys, and the other unique-id prefixes)
  { pattern: /\b(?<s>(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16})\b/dg },
  // AWS secret keys and session tokens after their names: env, config files, `aws configure set NAME VALUE`, JSON
  { pattern: /(?:aws_?secret_?access_?key|aws_?session_?token|secret_?access_?key|session_?token)["']?\s*(?:[=:]\s*["']?|\s+)(?<s>[A-Za-z0-9/+=]{20,})/dgi },
  // GitHub (classic, OAuth, user-to-server, server-to-server, refresh; fine-grained), GitLab
  { pattern: /\b(?<s>gh[pousr]_[A-Za-z0-9]{30,255})\b/dg },
  { pattern: /\b(?<s>github_pat_[A-Za-z0-9_]{20,255})\b/dg },
  { pattern: /\b(?<s>glpat-[A-Za-z0-9_-]{20,})/dg },
  // Slack tokens and incoming-webhook paths
  { pattern: /\b(?<s>xox[abposre]-[A-Za-z0-9-]{10,})/dg },
  { pattern: /hooks\.slack\.com\/services\/(?<s>[A-Za-z0-9_/]+)/dg },
  // Stripe secret and restricted keys, webhook secrets
  { pattern: /\b(?<s>(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,})/dg },
  { pattern: /\b(?<s>whsec_[A-Za-z0-9]{10,})/dg },
  // Google API keys and OAuth access tokens
  { pattern: /\b(?<s>AIza[0-9A-Za-z_-]{35})/dg },
  { pattern: /\b(?<s>ya29\.[0-9A-Za-z_-]{20,})/dg },
  // OpenAI / Anthropic style keys, npm, PyPI, SendGrid, DigitalOcean, Terraform Cloud, Vault, Shopify
  { pattern: /\b(?<s>sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,})/dg },
  { pattern: /\b(?<s>npm_[A-Za-z0-9]{36})\b/dg },
  { pattern: /\b(?<s>pypi-[A-Za-z0-9_-]{50,})/dg },
  { pattern: /\b(?<s>SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,})/dg },
  { pattern: /\b(?<s>do[opr]_v1_[a-f0-9]{64})\b/dg },
  { pattern: /\b(?<s>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,})/dg },
  { pattern: /\b(?<s>hv[sbr]\.[A-Za-z0-9_-]{20,})/dg },
  { pattern: /\b(?<s>shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32})\b/dg },
  // JSON Web Tokens
  { pattern: /\b(?<s>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/dg },
  // Private key blocks: the body, up to the END line or the end of the text
  { pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?<s>[\s\S]*?)(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/dg },
  // user:password@ in URLs (the user stays)
  { pattern: /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:'"]*:(?<s>[^\s/?#@'"]+)@/dg },
  // A database URL's password up to the last `@` of the word: typed raw, it may hold `@`, `/`, `?` or `#` (bounded, so linear)
  { pattern: new RegExp(String.raw`\b${DATABASE_SCHEMES}(?:\+[a-z0-9]+)?:\/\/[^\s/?#@:'"]*:(?<s>[^\s'"]{1,256})@`, 'dgi') },
  // secret query parameters: ?password=, &token=, &sig= (Azure SAS), X-Amz-Signature=
  { pattern: /[?&](?<n>[A-Za-z_][\w.-]*)=(?<s>[^&\s'"#]+)/dg, when: secretKeyName },
  // Authorization headers (the scheme stays), and other secret-named headers: X-Api-Key, Private-Token, Cookie
  { pattern: new RegExp(String.raw`(?<=^|[\s'"=])(?:proxy-)?authorization\s*:\s*${AUTH_SCHEME}(?<s>[^'"\r\n]*[^'"\s])`, 'dgi') },
  { pattern: /(?<=^|[\s'"=])(?<n>[A-Za-z][\w-]*)\s*:\s*(?<s>[^'"\r\n]*[^'"\s])/dg, when: (g) => /^(?:x-|cookie$|private-|api)/i.test(g.n) && isSecretName(g.n) },
  // "Bearer <token>" anywhere (a header split over words, a token in a message)
  { pattern: /\bBearer\s+(?<s>[A-Za-z0-9._~+/=-]{8,})/dgi },
  // JSON members with secret names, also backslash-escaped inside a double-quoted shell word
  { pattern: /\\?"(?<n>[\w.-]{1,64})\\?"\s*:\s*\\?"(?<s>(?:[^"\\]|\\[^"])+)\\?"/dg, when: secretKeyName },
];

function patternRanges(text: string): TextRange[] {
  const ranges: TextRange[] = [];
  for (const rule of PATTERN_RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const groups = match.groups ?? {};
      const at = match.indices?.groups?.s;
      if (at && (!rule.when || rule.when(groups))) ranges.push({ start: at[0], end: at[1] });
    }
  }
  return ranges;
}

// ── shell words: assignments, secret-named flags, per-tool options ──────────────────────────────

/** An option of some programs whose value is a password (or holds one). */
interface ToolOption {
  readonly tools: readonly string[];
  /** Words that must come between the program and the option: `docker login -p`, `kubectl create secret`. */
  readonly after?: readonly string[];
  readonly options: readonly string[];
  /**
   * 'attached': only `-pVALUE` / `--password=VALUE` carry it (mysql: `-p db` prompts and `db` is the
   * database); 'none': a secret-named option whose value is not a secret (`docker build --secret id=…,src=…`).
   */
  readonly value: 'attached' | 'attached-or-next' | 'none';
  /** Which part of the value is secret: `user:‹pass›`, `key=‹value›`, openssl's `pass:‹value›`. */
  readonly part?: 'after-colon' | 'after-equals' | 'after-pass-prefix';
}

const MYSQL_CLIENTS = ['mysql', 'mariadb', 'mysqldump', 'mariadb-dump', 'mysqladmin', 'mariadb-admin', 'mysqlimport', 'mariadb-import', 'mysqlshow', 'mysqlcheck', 'mariadb-check', 'mysqlpump', 'mysqlsh', 'mysqlbinlog', 'mysqlslap'];
const MONGO_CLIENTS = ['mongosh', 'mongo', 'mongodump', 'mongorestore', 'mongoexport', 'mongoimport', 'mongostat', 'mongotop', 'mongofiles'];
const REGISTRY_CLIENTS = ['docker', 'podman', 'nerdctl', 'buildah', 'skopeo', 'helm', 'oras', 'crane', 'finch'];
const LDAP_CLIENTS = ['ldapsearch', 'ldapmodify', 'ldapadd', 'ldapdelete', 'ldappasswd', 'ldapwhoami', 'ldapcompare', 'ldapmodrdn'];

const TOOL_OPTIONS: readonly ToolOption[] = [
  { tools: MYSQL_CLIENTS, options: ['-p', '--password'], value: 'attached' },
  { tools: MONGO_CLIENTS, options: ['-p', '--password'], value: 'attached-or-next' },
  { tools: ['redis-cli', 'valkey-cli'], options: ['-a', '--pass'], value: 'attached-or-next' },
  { tools: ['sshpass'], options: ['-p'], value: 'attached-or-next' },
  { tools: ['az'], after: ['login'], options: ['-p'], value: 'attached-or-next' },
  { tools: REGISTRY_CLIENTS, after: ['login'], options: ['-p'], value: 'attached-or-next' },
  { tools: REGISTRY_CLIENTS, options: ['--secret'], value: 'none' },
  { tools: ['supabase'], options: ['-p'], value: 'attached-or-next' },
  { tools: ['sqlcmd', 'bcp'], options: ['-P'], value: 'attached-or-next' },
  { tools: LDAP_CLIENTS, options: ['-w'], value: 'attached-or-next' },
  { tools: ['curl'], options: ['-u', '--user', '-U', '--proxy-user'], value: 'attached-or-next', part: 'after-colon' },
  { tools: ['http', 'https'], options: ['-a', '--auth'], value: 'attached-or-next', part: 'after-colon' },
  { tools: ['kubectl', 'oc'], after: ['create', 'secret'], options: ['--from-literal'], value: 'attached-or-next', part: 'after-equals' },
  { tools: ['openssl'], options: ['-pass', '-passin', '-passout'], value: 'attached-or-next', part: 'after-pass-prefix' },
  { tools: ['openssl'], options: ['-k'], value: 'attached-or-next' },
];

const ASSIGNMENT_WORD = /^[A-Za-z_]\w*=/;
/**
 * `NAME=` inside a word: an env assignment, `--set db.password=`, `-var=db_password=`, `;Password=` in
 * a connection string. Not after a blank: a quoted word with blanks in it is read again as a command line.
 */
const KEY_IN_WORD = /(?<=^|[=,;&:?/])([A-Za-z_][\w.-]*)=/g;
/** Where a value in a list ends: before `;`, `&` or `,` that starts the next `key=`. */
const NEXT_KEY = /[;&,](?=\s*[A-Za-z_][\w. -]*=)/g;
/** A flag with a name: `--client-secret`, `--password=`, Go-style `-token`. */
const NAMED_FLAG = /^(?:--[A-Za-z][\w.-]*|-[A-Za-z][\w.-]{3,})(?==|$)/;
/** Nested command lines are read this deep (`bash -c "ssh host 'mysql -p…'"`). */
const MAX_NESTING = 4;
/** A wrapper's options and operands are looked for this many words on, so a line of wrappers reads in linear time. */
const WRAPPER_WORDS = 128;

interface WordSlice {
  readonly word: Word;
  /** A range of the word's value. */
  readonly from: number;
  readonly to: number;
}

function wordRanges(text: string, commandAware: boolean, depth: number): TextRange[] {
  const ranges: TextRange[] = [];
  for (const words of splitCommands(text)) {
    const programs = commandAware ? programsOf(words) : [];
    let current = -1;
    words.forEach((word, i) => {
      const slices = assignmentValues(text, word);
      while (current + 1 < programs.length && programs[current + 1].index < i) current++;
      const program = programs[current];
      const tool = program ? toolOptionValue(program, words, i) : undefined;
      if (tool) slices.push(...tool.values);
      else slices.push(...flagValues(words, i));
      ranges.push(...slices.filter((s) => s.to > s.from).map((s) => rangeOf(text, s)));
      if (depth >= MAX_NESTING) return;
      for (const q of word.quoted) {
        const inner = text.slice(q.start, q.end);
        if (/\s/.test(inner)) ranges.push(...wordRanges(inner, commandAware, depth + 1).map((r) => ({ start: r.start + q.start, end: r.end + q.start })));
      }
    });
  }
  return ranges;
}

interface Program {
  readonly index: number;
  /** Its password options. */
  readonly options: readonly ToolOption[];
  /** Where each word first appears after it, for options that need a subcommand first (`docker login -p`). */
  readonly firstAfter: ReadonlyMap<string, number>;
}

/**
 * The programs a simple command runs, each from its word on: wrappers such as sudo, env or sshpass
 * first (stepped over as the engine unwraps them), then the command they run, so
 * `sshpass -p X ssh -p 2222` reads each `-p` with its own program.
 */
function programsOf(words: readonly Word[]): Program[] {
  const programs: Program[] = [];
  let i = 0;
  while (i < words.length) {
    const value = words[i].value;
    if (ASSIGNMENT_WORD.test(value)) {
      i++;
      continue;
    }
    const name = toolName(value);
    const options = TOOL_OPTIONS.filter((o) => o.tools.includes(name));
    const firstAfter = new Map<string, number>();
    if (options.some((o) => o.after)) for (let j = words.length - 1; j > i; j--) firstAfter.set(words[j].value, j);
    programs.push({ index: i, options, firstAfter });
    const wrapped = wrappedCommandStart(words.slice(i, i + WRAPPER_WORDS).map((w) => w.value));
    if (wrapped === undefined) break;
    i += wrapped;
  }
  return programs;
}

/**
 * Values of secret-named `key=value` pairs in the word. A pair inside a quoted part with blanks
 * (`bash -c "PGPASSWORD=x psql …"`) is left to the nested reading of that part as a command line.
 */
function assignmentValues(text: string, word: Word): WordSlice[] {
  const out: WordSlice[] = [];
  const value = word.value;
  const nested = word.quoted.filter((q) => /\s/.test(text.slice(q.start, q.end)));
  const breaks = Array.from(value.matchAll(NEXT_KEY), (m) => m.index ?? 0);
  // A connection string's last pair ends with `;` too: keep it in view.
  const end = value.replace(/;\s*$/, '').length;
  let next = 0;
  for (const match of value.matchAll(KEY_IN_WORD)) {
    const start = match.index ?? 0;
    const at = word.offsets[start];
    if (nested.some((q) => q.start <= at && at < q.end)) continue;
    const from = start + match[0].length;
    while (next < breaks.length && breaks[next] < from) next++;
    const to = next < breaks.length ? breaks[next] : end;
    if (isSecretName(match[1], value[start - 1] === ';' || value[to] === ';')) out.push({ word, from, to });
  }
  return out;
}

/** The value of a secret-named flag: `--token=VALUE`, or `--token VALUE` when the next word is not another option. */
function flagValues(words: readonly Word[], i: number): WordSlice[] {
  const value = words[i].value;
  const flag = NAMED_FLAG.exec(value)?.[0];
  if (!flag || !isSecretName(flag.replace(/^-+/, ''))) return [];
  if (value.length > flag.length) return [{ word: words[i], from: flag.length + 1, to: value.length }];
  const next = words[i + 1];
  return next && !next.value.startsWith('-') ? [{ word: next, from: 0, to: next.value.length }] : [];
}

/**
 * A program's own password option at word i: undefined when none matches (the generic flag rule
 * applies), else what it carries (possibly nothing, as for mysql's bare `-p`).
 */
function toolOptionValue(program: Program, words: readonly Word[], i: number): { values: WordSlice[] } | undefined {
  const value = words[i].value;
  for (const rule of program.options) {
    if (rule.after && !rule.after.every((w) => (program.firstAfter.get(w) ?? i) < i)) continue;
    for (const option of rule.options) {
      let slice: WordSlice | undefined;
      if (rule.value === 'none') {
        if (value === option || value.startsWith(`${option}=`)) return { values: [] };
        continue;
      }
      if (value === option) {
        const next = words[i + 1];
        if (rule.value === 'attached' || !next || next.value.startsWith('-')) return { values: [] };
        slice = { word: next, from: 0, to: next.value.length };
      } else if (option.startsWith('--') && value.startsWith(`${option}=`)) slice = { word: words[i], from: option.length + 1, to: value.length };
      else if (/^-[A-Za-z]$/.test(option) && value.startsWith(option) && value.length > 2) slice = { word: words[i], from: 2, to: value.length };
      else continue;
      const part = secretPart(slice, rule.part);
      return { values: part ? [part] : [] };
    }
  }
  return undefined;
}

function secretPart(slice: WordSlice, part: ToolOption['part']): WordSlice | undefined {
  if (part === undefined) return slice;
  const text = slice.word.value.slice(slice.from, slice.to);
  if (part === 'after-pass-prefix') return text.startsWith('pass:') ? { ...slice, from: slice.from + 5 } : undefined;
  const at = text.indexOf(part === 'after-colon' ? ':' : '=');
  return at === -1 ? undefined : { ...slice, from: slice.from + at + 1 };
}

/**
 * From the first to the last character of the (non-empty) value. When quotes sit inside that span
 * (`'x'"y"`), the quotes around it go too, so what is left stays balanced.
 */
function rangeOf(text: string, slice: WordSlice): TextRange {
  let start = slice.word.offsets[slice.from];
  let end = slice.word.offsets[slice.to - 1] + 1;
  // Longer in the text than in the value: quotes (or escapes) sit inside.
  if (end - start !== slice.to - slice.from) {
    if (text[start - 1] === "'" || text[start - 1] === '"') start--;
    if (text[end] === "'" || text[end] === '"') end++;
  }
  return { start, end };
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────

/** `$TOKEN`, `"${DB_PASS}"`, `$(vault read …)`: a reference to a secret, not a secret, and worth seeing. */
function isExpansionOnly(raw: string): boolean {
  if (raw[0] !== '$' && raw[0] !== '"') return false;
  return /^(?:\$(?:\{[^{}]*\}|\((?:[^()]|\([^()]*\))*\)|[A-Za-z_]\w*|\d))+$/.test(raw.replace(/"/g, ''));
}

function mergeRanges(ranges: readonly TextRange[]): TextRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: TextRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, r.end) };
    else out.push(r);
  }
  return out;
}
