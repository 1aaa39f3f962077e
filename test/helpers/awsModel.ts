/**
 * The service models the installed AWS CLI itself ships (botocore's data/<service>/<version>/service-2.json),
 * read at test time: a request is decoded and checked against its operation's input shape, and a
 * response or error is written from the output shape and the protocol (query for RDS, ec2 for EC2),
 * so the test endpoint speaks what the model says and nothing typed by hand.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

interface ShapeRef {
  readonly shape: string;
  readonly locationName?: string;
  readonly queryName?: string;
}

interface Shape {
  readonly type: string;
  readonly required?: readonly string[];
  readonly members?: Readonly<Record<string, ShapeRef>>;
  readonly member?: ShapeRef;
  readonly enum?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly flattened?: boolean;
  readonly error?: { readonly code: string; readonly httpStatusCode: number; readonly senderFault?: boolean };
}

interface Operation {
  readonly name: string;
  readonly input?: ShapeRef;
  readonly output?: ShapeRef & { readonly resultWrapper?: string };
  readonly errors?: readonly ShapeRef[];
}

interface ModelJson {
  readonly metadata: { readonly apiVersion: string; readonly protocol: string; readonly xmlNamespace: string; readonly endpointPrefix: string };
  readonly operations: Readonly<Record<string, Operation>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

/** Where the AWS CLI's botocore keeps its data, and which versions these are. */
export interface AwsCliModels {
  readonly dataDir: string;
  readonly cliVersion: string;
  readonly botocoreVersion: string;
}

/** Asks the AWS CLI's own Python (its #! line) where its botocore is: awscli.botocore in version 2, botocore in 1. */
export function findAwsCliModels(aws = '/usr/bin/aws'): AwsCliModels {
  const python = /^#!\s*(\S+)/.exec(readFileSync(aws, 'utf8'))?.[1];
  if (python === undefined) throw new Error(`${aws} is not a Python script; cannot find its botocore`);
  const probe = [
    'import importlib, json, os',
    'import awscli',
    'try:\n  b = importlib.import_module("awscli.botocore")\nexcept ImportError:\n  b = importlib.import_module("botocore")',
    'print(json.dumps({"dataDir": os.path.join(os.path.dirname(b.__file__), "data"), "cliVersion": awscli.__version__, "botocoreVersion": b.__version__}))',
  ].join('\n');
  const run = spawnSync(python, ['-c', probe], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${python} could not import the AWS CLI's botocore: ${run.stderr}`);
  return JSON.parse(run.stdout) as AwsCliModels;
}

export type Protocol = 'query' | 'ec2';

/** A request the model does not allow: the code and message the service would answer with. */
export class ModelViolation extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type Value = string | number | boolean | Date | readonly Value[] | { readonly [member: string]: Value | undefined };
export type Input = { readonly [member: string]: Value | undefined };

const capitalize = (name: string): string => name[0].toUpperCase() + name.slice(1);

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class ServiceModel {
  readonly protocol: Protocol;

  private constructor(private readonly json: ModelJson) {
    const protocol = json.metadata.protocol;
    if (protocol !== 'query' && protocol !== 'ec2') throw new Error(`protocol ${protocol} is not served here`);
    this.protocol = protocol;
  }

  /** Reads `<dataDir>/<service>/<version>/service-2.json`, or its `.json.gz`. */
  static load(dataDir: string, service: string, version: string): ServiceModel {
    const file = join(dataDir, service, version, 'service-2.json');
    const text = existsSync(file) ? readFileSync(file, 'utf8') : gunzipSync(readFileSync(`${file}.gz`)).toString('utf8');
    return new ServiceModel(JSON.parse(text) as ModelJson);
  }

  get apiVersion(): string {
    return this.json.metadata.apiVersion;
  }

  /** The signing name the CLI puts in its credential scope (`rds`, `ec2`). */
  get signingName(): string {
    return this.json.metadata.endpointPrefix;
  }

  /**
   * Decodes a query-string request into the operation's input, by member name, checking it against
   * the input shape: a known Action and Version, required members present, every value of its type
   * and enum, no parameter the shape does not name. Throws ModelViolation otherwise.
   */
  decodeRequest(params: URLSearchParams): { operation: string; input: Input } {
    const operation = params.get('Action') ?? '';
    const op = this.json.operations[operation];
    if (op === undefined) throw new ModelViolation('InvalidAction', `The action ${operation || '(none)'} is not valid for this web service.`);
    if (params.get('Version') !== this.apiVersion) throw new ModelViolation('NoSuchVersion', `The requested version (${params.get('Version') ?? ''}) of service ${this.signingName} does not exist.`);
    const consumed = new Set(['Action', 'Version']);
    const input = op.input ? (this.decodeStructure(this.shape(op.input.shape), '', params, consumed, true) ?? {}) : {};
    const unknown = [...params.keys()].filter((key) => !consumed.has(key));
    if (unknown.length > 0) {
      throw new ModelViolation(this.protocol === 'ec2' ? 'UnknownParameter' : 'InvalidParameterValue', `The parameter ${unknown[0]} is not recognized by ${operation}.`);
    }
    return { operation, input: input as Input };
  }

  /** The XML body of a successful answer, written from the operation's output shape. */
  encodeResponse(operation: string, output: Input, requestId: string): string {
    const op = this.operation(operation);
    const body = op.output ? this.encodeMembers(this.shape(op.output.shape), output, operation) : '';
    const ns = this.json.metadata.xmlNamespace;
    if (this.protocol === 'ec2') return `<?xml version="1.0" encoding="UTF-8"?><${operation}Response xmlns="${ns}"><requestId>${requestId}</requestId>${body}</${operation}Response>`;
    const result = op.output ? `<${op.output.resultWrapper ?? `${operation}Result`}>${body}</${op.output.resultWrapper ?? `${operation}Result`}>` : '';
    return `<${operation}Response xmlns="${ns}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
  }

  /** An error the operation declares in the model (its shape's code and HTTP status). */
  modelledError(operation: string, errorShape: string, message: string): ModelViolation {
    if (!this.operation(operation).errors?.some((ref) => ref.shape === errorShape)) throw new Error(`${operation} declares no error ${errorShape}`);
    const error = this.shape(errorShape).error;
    return new ModelViolation(error?.code ?? errorShape, message, error?.httpStatusCode ?? 400);
  }

  /** The protocol's error envelope: `<ErrorResponse>` for query, `<Response><Errors>` for ec2. */
  encodeError(error: ModelViolation, requestId: string): string {
    const code = escapeXml(error.code);
    const message = escapeXml(error.message);
    if (this.protocol === 'ec2') return `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    return `<ErrorResponse xmlns="${this.json.metadata.xmlNamespace}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  }

  private operation(name: string): Operation {
    const op = this.json.operations[name];
    if (op === undefined) throw new Error(`the model has no operation ${name}`);
    return op;
  }

  private shape(name: string): Shape {
    const shape = this.json.shapes[name];
    if (shape === undefined) throw new Error(`the model has no shape ${name}`);
    return shape;
  }

  // ------------------------------------------------------------------------------------ requests

  /** A structure member's name on the wire: botocore's QuerySerializer and EC2Serializer rules. */
  private wireName(ref: ShapeRef, member: string): string {
    if (this.protocol === 'ec2') return ref.queryName ?? (ref.locationName ? capitalize(ref.locationName) : member);
    return ref.locationName ?? member;
  }

  private decode(ref: ShapeRef, key: string, params: URLSearchParams, consumed: Set<string>): Value | undefined {
    const shape = this.shape(ref.shape);
    if (shape.type === 'structure') return this.decodeStructure(shape, key, params, consumed, false);
    if (shape.type === 'list') return this.decodeList(shape, key, params, consumed);
    if (!params.has(key)) return undefined;
    consumed.add(key);
    return this.decodeScalar(ref.shape, shape, key, params.get(key)!);
  }

  private decodeStructure(shape: Shape, prefix: string, params: URLSearchParams, consumed: Set<string>, top: boolean): Input | undefined {
    const value: Record<string, Value> = {};
    for (const [member, ref] of Object.entries(shape.members ?? {})) {
      const name = this.wireName(ref, member);
      const decoded = this.decode(ref, prefix ? `${prefix}.${name}` : name, params, consumed);
      if (decoded !== undefined) value[member] = decoded;
    }
    if (!top && Object.keys(value).length === 0) return undefined;
    for (const member of shape.required ?? []) {
      if (!(member in value)) throw new ModelViolation('MissingParameter', `The request must contain the parameter ${prefix ? `${prefix}.` : ''}${this.wireName(shape.members![member], member)}.`);
    }
    return value;
  }

  private decodeList(shape: Shape, prefix: string, params: URLSearchParams, consumed: Set<string>): Value[] | undefined {
    if (params.get(prefix) === '') {
      consumed.add(prefix); // botocore sends an empty list as the bare name
      return [];
    }
    const member = shape.member!;
    // ec2 lists are always flat (Name.1); query lists nest under the member's name or "member".
    const base = this.protocol === 'ec2' || shape.flattened ? prefix : `${prefix}.${member.locationName ?? 'member'}`;
    const items: Value[] = [];
    for (let i = 1; ; i++) {
      const key = `${base}.${i}`;
      if (![...params.keys()].some((k) => k === key || k.startsWith(`${key}.`))) break;
      const item = this.decode(member, key, params, consumed);
      if (item !== undefined) items.push(item);
    }
    return items.length > 0 ? items : undefined;
  }

  private decodeScalar(shapeName: string, shape: Shape, key: string, raw: string): Value {
    const invalid = (why: string): ModelViolation => new ModelViolation('InvalidParameterValue', `Value (${raw}) for parameter ${key} is invalid. ${why}`);
    switch (shape.type) {
      case 'string':
        if (shape.enum && !shape.enum.includes(raw)) throw invalid(`It must be one of ${shapeName}'s values.`);
        if ((shape.min !== undefined && raw.length < shape.min) || (shape.max !== undefined && raw.length > shape.max)) throw invalid(`Its length must be from ${shape.min ?? 0} to ${shape.max ?? '∞'}.`);
        return raw;
      case 'integer':
      case 'long': {
        if (!/^-?\d+$/.test(raw)) throw invalid('It must be an integer.');
        const n = Number(raw);
        if ((shape.min !== undefined && n < shape.min) || (shape.max !== undefined && n > shape.max)) throw invalid(`It must be from ${shape.min ?? '-∞'} to ${shape.max ?? '∞'}.`);
        return n;
      }
      case 'float':
      case 'double':
        if (raw.trim() === '' || !Number.isFinite(Number(raw))) throw invalid('It must be a number.');
        return Number(raw);
      case 'boolean':
        if (raw !== 'true' && raw !== 'false') throw invalid('It must be true or false.');
        return raw === 'true';
      case 'timestamp': {
        const time = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
        if (Number.isNaN(time.getTime())) throw invalid('It must be a timestamp.');
        return time;
      }
      case 'blob':
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) throw invalid('It must be base64.');
        return raw;
      default:
        throw new Error(`shape type ${shape.type} (${shapeName}) is not served here`);
    }
  }

  // ----------------------------------------------------------------------------------- responses

  /** Members in the shape's order; a member the shape does not have is the helper's bug, so it throws. */
  private encodeMembers(shape: Shape, value: Input, where: string): string {
    const members = shape.members ?? {};
    for (const key of Object.keys(value)) if (!(key in members)) throw new Error(`${where} has no member ${key} in the model`);
    let xml = '';
    for (const [member, ref] of Object.entries(members)) {
      const item = value[member];
      if (item !== undefined) xml += this.encodeValue(ref, ref.locationName ?? member, item, `${where}.${member}`);
    }
    return xml;
  }

  private encodeValue(ref: ShapeRef, element: string, value: Value, where: string): string {
    const shape = this.shape(ref.shape);
    if (shape.type === 'structure') return `<${element}>${this.encodeMembers(shape, value as Input, where)}</${element}>`;
    if (shape.type === 'list') {
      if (!Array.isArray(value)) throw new Error(`${where} must be a list`);
      const item = shape.member!;
      const itemElement = shape.flattened ? element : (item.locationName ?? 'member');
      const items = (value as readonly Value[]).map((v, i) => this.encodeValue(item, itemElement, v, `${where}[${i}]`)).join('');
      return shape.flattened ? items : `<${element}>${items}</${element}>`;
    }
    return `<${element}>${escapeXml(this.encodeScalar(ref.shape, shape, value, where))}</${element}>`;
  }

  private encodeScalar(shapeName: string, shape: Shape, value: Value, where: string): string {
    const wrong = (): Error => new Error(`${where}: ${JSON.stringify(value)} is not a ${shape.type} (${shapeName})`);
    switch (shape.type) {
      case 'string':
        if (typeof value !== 'string') throw wrong();
        if (shape.enum && !shape.enum.includes(value)) throw new Error(`${where}: ${value} is not one of ${shapeName}'s values`);
        return value;
      case 'integer':
      case 'long':
        if (!Number.isInteger(value)) throw wrong();
        return String(value);
      case 'float':
      case 'double':
        if (typeof value !== 'number') throw wrong();
        return String(value);
      case 'boolean':
        if (typeof value !== 'boolean') throw wrong();
        return String(value);
      case 'timestamp':
        if (!(value instanceof Date)) throw wrong();
        return value.toISOString();
      default:
        throw new Error(`shape type ${shape.type} (${shapeName}) is not served here`);
    }
  }
}
