import { literalStdin } from '../../engine/stdin';
import type { Invocation } from '../../engine/invocation';
import type { Condition, Detector, RulePack } from '../types';

/*
 * Raw HTTP calls: curl, wget, HTTPie and xh. What a request does depends on its method, its host
 * and its body, none of which is a subcommand, so one detector reads the request out of the
 * argument list (method, URLs, body texts) and the rules ask about it.
 */

const CURL = ['curl'];
const WGET = ['wget', 'wget2'];
const HTTPIE = ['http', 'https', 'xh', 'xhs'];
const TOOLS = [...CURL, ...WGET, ...HTTPIE];

/**
 * Cloud and PaaS control-plane APIs: a write there creates, changes or deletes infrastructure.
 * `*.` matches any subdomain. Kept as data; extend freely.
 */
export const CONTROL_PLANE_HOSTS: readonly string[] = [
  'backboard.railway.app',
  'backboard.railway.com',
  'api.heroku.com',
  'api.fly.io',
  'api.machines.dev',
  'api.vercel.com',
  'api.netlify.com',
  'api.supabase.com',
  'api.supabase.io',
  'api.digitalocean.com',
  'api.cloudflare.com',
  'management.azure.com',
  'management.core.windows.net',
  '*.amazonaws.com',
  'api.render.com',
  'api.linode.com',
  'api.vultr.com',
  'api.hetzner.cloud',
  'api.scaleway.com',
  'api.ovh.com',
  'eu.api.ovh.com',
  'api.fastly.com',
  'api.upstash.com',
  'api.turso.tech',
  'api.planetscale.com',
  'console.neon.tech',
  'cloud.mongodb.com',
  'api.pulumi.com',
  'app.terraform.io',
  'compute.googleapis.com',
  'container.googleapis.com',
  'sqladmin.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'run.googleapis.com',
  'cloudfunctions.googleapis.com',
  'iam.googleapis.com',
  'storage.googleapis.com',
  'firestore.googleapis.com',
  'api.railway.app',
];

/** Hosts under a control-plane pattern that are application endpoints, not the control plane. */
const NOT_CONTROL_PLANE: readonly string[] = ['*.execute-api.*.amazonaws.com'];

/** URL paths of endpoints that delete, whatever the method (Elasticsearch, Jenkins). */
export const DESTRUCTIVE_PATHS: readonly string[] = ['/_delete_by_query(/|$)', '/doDelete$', '/doWipeOutWorkspace$'];

/** GraphQL root mutation fields whose name says they delete. */
const DESTRUCTIVE_FIELD = /delete|destroy|remove|drop|purge|wipe|erase|truncate|terminate/i;

const HTTP_METHODS = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE|CONNECT|PURGE)$/i;

interface Request {
  readonly method: string;
  readonly urls: readonly string[];
  /** Body texts the line spells out (data options, HTTPie items, literal stdin). */
  readonly bodies: readonly string[];
  /** GraphQL documents found in the bodies. */
  readonly graphql: readonly string[];
  /** Part of the body comes from a file or stdin the line does not spell out. */
  readonly unseenBody?: boolean;
}

function hostGlob(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()[\]\\|]/g, '\\$&').replace(/\*/g, '[^/]*')}$`, 'i');
}
const CONTROL_PLANE = CONTROL_PLANE_HOSTS.map(hostGlob);
const EXCEPTIONS = NOT_CONTROL_PLANE.map(hostGlob);
const DESTRUCTIVE = DESTRUCTIVE_PATHS.map((p) => new RegExp(p, 'i'));

/** Host and path of a URL as curl/HTTPie read it (`https://u@h:1/p?q`, `h/p`, `:3000/p`). */
export function splitUrl(url: string): { host: string; path: string } {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^/@]*@/, '');
  const m = /^(\[[^\]]*\]|[^/:?#]*)(?::\d*)?([^?#]*)/.exec(rest);
  return { host: (m?.[1] ?? '').toLowerCase() || 'localhost', path: m?.[2] ?? '' };
}

function stdinText(inv: Invocation): string | undefined {
  return literalStdin(inv.stdin);
}

function curlRequest(inv: Invocation): Omit<Request, 'graphql'> {
  const opt = (...names: string[]) => names.flatMap((n) => inv.options.get(n) ?? []);
  const dataValues = opt('d', 'data', 'data-ascii', 'data-binary', 'data-urlencode');
  const jsonValues = opt('json');
  const rawValues = opt('data-raw');
  const forms = opt('F', 'form', 'form-string');
  // curl joins its data pieces with `&` (--json pieces with nothing) into one body; `@file` is read
  // from a file, `@-` from stdin.
  const piece = (v: string): string | undefined => (v === '@-' || v === '@/dev/stdin' ? stdinText(inv) : v.startsWith('@') ? undefined : v);
  const bodies: string[] = [];
  const data = [...dataValues.map(piece), ...rawValues];
  if (data.some((d) => d !== undefined)) bodies.push(data.filter((d) => d !== undefined).join('&'));
  const json = jsonValues.map(piece);
  if (json.some((d) => d !== undefined)) bodies.push(json.filter((d) => d !== undefined).join(''));
  for (const v of forms) bodies.push(v.replace(/^[^=]*=/, ''));
  const unseenBody = [...data, ...json].some((d) => d === undefined) || opt('T', 'upload-file').length > 0;
  const explicit = opt('X', 'request').pop();
  const override = overrideMethod(opt('H', 'header'));
  let method = 'GET';
  if (override) method = override;
  else if (explicit) method = explicit;
  else if (opt('T', 'upload-file').length > 0) method = 'PUT';
  else if ((dataValues.length > 0 || jsonValues.length > 0 || rawValues.length > 0 || forms.length > 0) && !inv.options.has('G') && !inv.options.has('get')) method = 'POST';
  else if (inv.options.has('I') || inv.options.has('head')) method = 'HEAD';
  return { method: method.toUpperCase(), urls: [...inv.positionals, ...opt('url')], bodies, unseenBody };
}

/** `X-HTTP-Method-Override: DELETE` makes many servers treat a POST as that method. */
function overrideMethod(headers: readonly string[]): string | undefined {
  for (const h of headers) {
    const m = /^\s*x-(?:http-)?method(?:-override)?\s*:\s*([a-z]+)\s*$/i.exec(h);
    if (m) return m[1];
  }
  return undefined;
}

function wgetRequest(inv: Invocation): Omit<Request, 'graphql'> {
  const opt = (...names: string[]) => names.flatMap((n) => inv.options.get(n) ?? []);
  const bodies = opt('post-data', 'body-data');
  const files = opt('post-file', 'body-file');
  let unseenBody = false;
  for (const f of files) {
    const text = f === '-' || f === '/dev/stdin' ? stdinText(inv) : undefined;
    if (text !== undefined) bodies.push(text);
    else unseenBody = true;
  }
  const explicit = opt('method').pop();
  const override = overrideMethod(opt('header'));
  const method = override ?? explicit ?? (opt('post-data', 'post-file').length > 0 ? 'POST' : 'GET');
  return { method: method.toUpperCase(), urls: [...inv.positionals], bodies, unseenBody };
}

/** An HTTPie request item: `H:v` header, `q==v` query, `f=v` data, `f:=json` raw JSON, `f@file` upload. */
function httpieItem(word: string): { kind: 'header' | 'query' | 'data' | 'json' | 'file'; name: string; value: string } | undefined {
  const seps: [string, 'header' | 'query' | 'data' | 'json' | 'file'][] = [
    ['==', 'query'],
    [':=@', 'json'],
    [':=', 'json'],
    ['=@', 'file'],
    ['=', 'data'],
    ['@', 'file'],
    [':', 'header'],
  ];
  for (let i = 0; i < word.length; i++) {
    if (word[i] === '\\') {
      i++;
      continue;
    }
    for (const [sep, kind] of seps) {
      if (word.startsWith(sep, i)) return { kind, name: word.slice(0, i), value: word.slice(i + sep.length) };
    }
  }
  return undefined;
}

function httpieRequest(inv: Invocation): Omit<Request, 'graphql'> {
  const args = [...inv.positionals];
  let method: string | undefined;
  if (args.length > 1 && HTTP_METHODS.test(args[0])) method = args.shift();
  const url = args.shift();
  const bodies: string[] = [];
  const json: Record<string, unknown> = {};
  let hasData = false;
  let unseenBody = false;
  const headers: string[] = [];
  for (const word of args) {
    const item = httpieItem(word);
    if (!item) continue;
    if (item.kind === 'header') headers.push(`${item.name}:${item.value}`);
    if (item.kind === 'data' || item.kind === 'json' || item.kind === 'file') hasData = true;
    if (item.kind === 'file') unseenBody = true;
    if (item.kind === 'data') json[item.name] = item.value;
    if (item.kind === 'json') {
      try {
        json[item.name] = JSON.parse(item.value);
      } catch {
        json[item.name] = item.value;
      }
    }
  }
  // HTTPie sends its data items as one JSON object (or a form with the same fields).
  if (Object.keys(json).length > 0) bodies.push(JSON.stringify(json));
  for (const raw of inv.options.get('raw') ?? []) {
    hasData = true;
    bodies.push(raw);
  }
  const text = stdinText(inv);
  if (text !== undefined && !inv.options.has('ignore-stdin') && !inv.options.has('I')) {
    hasData = true;
    bodies.push(text);
  }
  if (text === undefined && inv.stdin?.kind === 'pipe' && !inv.options.has('ignore-stdin') && !inv.options.has('I')) {
    hasData = true;
    unseenBody = true;
  }
  const resolved = overrideMethod(headers) ?? method ?? (hasData ? 'POST' : 'GET');
  return { method: resolved.toUpperCase(), urls: url === undefined ? [] : [url], bodies, unseenBody };
}

/** GraphQL documents in a body: the `query` of a JSON body (or batch), or a bare document. */
function graphqlDocuments(body: string): string[] {
  try {
    const parsed: unknown = JSON.parse(body);
    const docs: string[] = [];
    for (const entry of Array.isArray(parsed) ? parsed : [parsed]) {
      if (entry && typeof entry === 'object' && typeof (entry as { query?: unknown }).query === 'string') docs.push((entry as { query: string }).query);
    }
    return docs;
  } catch {
    // Not JSON: a bare document (application/graphql), or JSON the shell line mangled.
    if (/^\s*(mutation|query|subscription|fragment)\b|^\s*\{/.test(body)) return [body];
    const embedded = /"query"\s*:\s*"((?:\\.|[^"\\])*)"/.exec(body);
    if (embedded) {
      try {
        return [JSON.parse(`"${embedded[1]}"`) as string];
      } catch {
        return [embedded[1]];
      }
    }
    return [];
  }
}

/** GraphQL text with strings and comments blanked, so quoted arguments stay data. */
function stripGraphql(doc: string): string {
  return doc.replace(/"""[\s\S]*?"""|"(?:\\.|[^"\\])*"|#[^\n]*/g, '""');
}

/** The root fields of every mutation operation in a document (`mutation { volumeDelete(...) }` → volumeDelete). */
export function mutationFields(doc: string): string[] {
  const text = stripGraphql(doc);
  const fields: string[] = [];
  const re = /\bmutation\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let i = m.index + m[0].length;
    // Skip the operation name, variable definitions and directives up to the selection set.
    let parens = 0;
    while (i < text.length && !(text[i] === '{' && parens === 0)) {
      if (text[i] === '(') parens++;
      else if (text[i] === ')') parens--;
      i++;
    }
    let depth = 0;
    parens = 0;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '(') parens++;
      else if (c === ')') parens--;
      else if (c === '{' && parens === 0) depth++;
      else if (c === '}' && parens === 0) {
        depth--;
        if (depth === 0) break;
      } else if (depth === 1 && parens === 0 && /[A-Za-z_]/.test(c) && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
        const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
        // An alias (`a: volumeDelete`) names the field after it; take both, either may tell.
        fields.push(word);
        i += word.length - 1;
      }
    }
    re.lastIndex = Math.max(re.lastIndex, i);
  }
  return fields;
}

function hasMutation(doc: string): boolean {
  return /\b(mutation|subscription)\b/.test(stripGraphql(doc));
}

const cache = new WeakMap<Invocation, Request>();

export function readRequest(inv: Invocation): Request {
  let req = cache.get(inv);
  if (req) return req;
  const base = CURL.includes(inv.tool) ? curlRequest(inv) : WGET.includes(inv.tool) ? wgetRequest(inv) : httpieRequest(inv);
  const graphql: string[] = [];
  for (const body of base.bodies) graphql.push(...graphqlDocuments(body));
  req = { ...base, graphql };
  cache.set(inv, req);
  return req;
}

function isControlPlane(host: string): boolean {
  return CONTROL_PLANE.some((re) => re.test(host)) && !EXCEPTIONS.some((re) => re.test(host));
}

const detectors: Record<string, Detector> = {
  /** The request's method is one of `arg` (`|`-separated). */
  'http.method': (inv, _ctx, arg) => (arg ?? '').split('|').includes(readRequest(inv).method),
  /** A URL of the request is on a cloud/PaaS control-plane API. */
  'http.control-plane': (inv) => readRequest(inv).urls.some((u) => isControlPlane(splitUrl(u).host)),
  /**
   * Every body only reads: a GraphQL document with queries alone, or an AWS Query API call
   * (`Action=DescribeInstances`) that describes, lists or gets.
   */
  'http.read-only-body': (inv) => {
    const { bodies, unseenBody } = readRequest(inv);
    return !unseenBody && bodies.length > 0 && bodies.every((b) => {
      if (/(^|&)Action=(Describe|List|Get)[A-Za-z]*(&|$)/.test(b)) return true;
      const docs = graphqlDocuments(b);
      return docs.length > 0 && docs.every((d) => !hasMutation(d));
    });
  },
  /** A GraphQL mutation in the body has a root field that deletes (`volumeDelete`, `projectDestroy`). */
  'http.graphql-destructive': (inv) => readRequest(inv).graphql.some((d) => mutationFields(d).some((f) => DESTRUCTIVE_FIELD.test(f))),
  /** A URL path is an endpoint that deletes (`_delete_by_query`, Jenkins `doDelete`). */
  'http.destructive-path': (inv) => readRequest(inv).urls.some((u) => DESTRUCTIVE.some((re) => re.test(splitUrl(u).path))),
};

const method = (m: string): Condition => ({ detect: 'http.method', arg: m });
const WRITE: Condition = method('POST|PUT|PATCH');

export const httpPack: RulePack = {
  id: 'http',
  grammars: [
    {
      tools: CURL,
      valueOptions: [
        'd', 'data', 'data-raw', 'data-binary', 'data-ascii', 'data-urlencode', 'json', 'F', 'form', 'form-string', 'H', 'header', 'X', 'request',
        'u', 'user', 'o', 'output', 'A', 'user-agent', 'e', 'referer', 'b', 'cookie', 'c', 'cookie-jar', 'T', 'upload-file', 'w', 'write-out',
        'm', 'max-time', 'connect-timeout', 'retry', 'retry-delay', 'retry-max-time', 'x', 'proxy', 'U', 'proxy-user', 'E', 'cert', 'key',
        'cacert', 'capath', 'K', 'config', 'r', 'range', 'url', 'resolve', 'connect-to', 'C', 'continue-at', 'D', 'dump-header', 'oauth2-bearer',
        'Y', 'speed-limit', 'y', 'speed-time', 'z', 'time-cond', 'interface', 'limit-rate', 'max-filesize', 'max-redirs', 'output-dir',
        'aws-sigv4', 'unix-socket', 'abstract-unix-socket', 't', 'telnet-option', 'Q', 'quote', 'request-target', 'url-query', 'variable',
        'P', 'ftp-port', 'cert-type', 'key-type', 'pass', 'dns-servers', 'preproxy', 'proxy-header', 'trace', 'trace-ascii', 'stderr', 'expect100-timeout',
      ],
    },
    {
      tools: WGET,
      valueOptions: [
        'O', 'output-document', 'o', 'output-file', 'a', 'append-output', 'U', 'user-agent', 'header', 'method', 'body-data', 'body-file',
        'post-data', 'post-file', 'P', 'directory-prefix', 't', 'tries', 'T', 'timeout', 'e', 'execute', 'user', 'password', 'http-user',
        'http-password', 'i', 'input-file', 'B', 'base', 'load-cookies', 'save-cookies', 'ca-certificate', 'certificate', 'private-key',
        'w', 'wait', 'Q', 'quota', 'l', 'level', 'A', 'accept', 'R', 'reject', 'D', 'domains', 'X', 'exclude-directories',
        'I', 'include-directories', 'limit-rate', 'referer', 'bind-address', 'dns-timeout', 'connect-timeout', 'read-timeout',
        'proxy-user', 'proxy-password',
      ],
    },
    {
      tools: HTTPIE,
      valueOptions: [
        'a', 'auth', 'A', 'auth-type', 'o', 'output', 'session', 'session-read-only', 'verify', 'cert', 'cert-key', 'cert-key-pass', 'p', 'print',
        'P', 'history-print', 'proxy', 'timeout', 'raw', 'max-redirects', 'style', 's', 'format-options', 'response-charset', 'response-mime',
        'pretty', 'boundary', 'default-scheme', 'ssl', 'ciphers', 'bearer', 'unix-socket', 'http-version', 'resolve', 'interface',
      ],
    },
  ],
  detectors,
  rules: [
    {
      id: 'http.delete',
      tools: TOOLS,
      when: method('DELETE'),
      severity: 'high',
      title: 'Sends an HTTP DELETE request',
      why: 'A DELETE asks the server to remove the resource at this URL: a search index, a project, a database, a deployment. APIs rarely keep a recycle bin, so what it names is usually gone for good, and a wildcard or `_all` in the path can take everything with it.',
      saferAlternative: 'GET the same URL first to see exactly what it names, check the host is the environment you mean, and delete through the provider’s CLI or console where a confirmation and audit trail exist.',
    },
    {
      id: 'http.destructive-endpoint',
      tools: TOOLS,
      when: { detect: 'http.destructive-path' },
      severity: 'high',
      title: 'Calls an endpoint that deletes data',
      why: 'This URL is an endpoint whose job is deletion (Elasticsearch `_delete_by_query`, a Jenkins `doDelete`), so a plain POST to it removes documents, jobs or credentials. A broad query deletes everything it matches and there is no undo.',
      saferAlternative: 'Run the same query against `_search` or `_count` first to see what matches, and snapshot the index (or back up the Jenkins home) before deleting.',
    },
    {
      id: 'http.control-plane-destructive-mutation',
      tools: TOOLS,
      when: { all: [{ detect: 'http.graphql-destructive' }, { detect: 'http.control-plane' }] },
      severity: 'critical',
      title: 'Deletes cloud resources through a GraphQL mutation',
      why: 'The body holds a GraphQL mutation whose field deletes, destroys, removes or purges something (`volumeDelete`, `projectDelete`...), sent to a cloud platform’s control-plane API. The platform runs it at once with no prompt: in April 2026 a Railway `volumeDelete` mutation sent by an agent deleted a production database together with its backups.',
      saferAlternative: 'Do the deletion in the provider’s dashboard or CLI, where it is confirmed and logged; if it must be an API call, query the object first and have a person send the mutation.',
    },
    {
      id: 'http.graphql-destructive-mutation',
      tools: TOOLS,
      when: { all: [{ detect: 'http.graphql-destructive' }, { not: { detect: 'http.control-plane' } }] },
      severity: 'high',
      title: 'Sends a GraphQL mutation that deletes',
      why: 'The request body holds a GraphQL mutation whose field deletes, destroys, removes or purges something. The API runs it at once, without a prompt, and most APIs keep no recycle bin. (In April 2026 a Railway `volumeDelete` mutation sent by an agent deleted a production database and its backups.)',
      saferAlternative: 'Query the object first to see what the mutation would remove, check the endpoint is the environment you mean, and have a person send the mutation.',
    },
    {
      id: 'http.control-plane-write',
      tools: TOOLS,
      when: { all: [WRITE, { detect: 'http.control-plane' }, { not: { detect: 'http.read-only-body' } }, { not: { detect: 'http.graphql-destructive' } }] },
      severity: 'high',
      title: 'Changes cloud infrastructure through its API',
      why: 'This POST/PUT/PATCH goes to a cloud or PaaS control-plane API (Railway, Heroku, Fly, Vercel, AWS, Azure, Cloudflare...). Such calls create, reconfigure, scale, redeploy or delete services, databases, DNS and volumes directly, bypassing the infrastructure code and review, and the platform acts on them at once.',
      saferAlternative: 'Use the provider’s CLI or infrastructure-as-code with a plan/preview step; for a one-off call, read the object with a GET (or a GraphQL query) first and have a person send the change.',
    },
  ],
};
