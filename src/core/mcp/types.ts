import type { RuleText } from '../rules/types';
import type { Verdict } from '../verdict';

/** An MCP tool call's name, split: `mcp__railway__volume_delete` → server `railway`, tool `volume_delete`. */
export interface ToolName {
  /** As the agent's configuration names it; absent when the name does not say. */
  readonly server?: string;
  readonly tool: string;
}

export interface McpRule extends RuleText {
  /** Dotted id: `mcp.volume-delete`. */
  readonly id: string;
}

/** Tools that destroy one kind of object, found by the object their name (or a kind argument) names. */
export interface McpObjectRule extends McpRule {
  /** Object words, as names spell them (`volume`, `pvc`); matched in singular, case-insensitively. */
  readonly objects: readonly string[];
  /** The verbs it is about; the vocabulary's deletion verbs when absent. */
  readonly verbs?: readonly string[];
}

/** A kind of destructive SQL, as the databases pack classifies statements (`drop-data`, `truncate`...). */
export interface McpSqlRule extends McpRule {
  readonly risk: string;
  /** Fires only when the call names a production target. */
  readonly productionOnly?: true;
}

/**
 * How MCP tool names and argument keys are read, as data. Every entry is matched as words: names
 * are split at `_`, `-`, `.` and camelCase (`deleteVercelDNSRecord` → delete vercel dns record), and
 * each word is compared in the singular.
 */
export interface McpVocabulary {
  /** Verbs that delete outright (`delete`, `destroy`, `drop`...): the object rules' default verbs. */
  readonly deletionVerbs: readonly string[];
  /** Verbs that wipe or withdraw without deleting (`reset`, `revoke`): destructive, judged by the generic rule. */
  readonly resetVerbs: readonly string[];
  /** Verbs of tools that only read; an SQL tool with one is not an SQL runner. */
  readonly readVerbs: readonly string[];
  /** Words that end the object a tool acts on: `remove_user_from_group` removes a user. */
  readonly prepositions: readonly string[];
  /** Parts of a larger object: deleting one (`delete_project_item`) is not deleting the whole. */
  readonly partNouns: readonly string[];
  /** Words that make a tool an SQL runner (`execute_sql`, `run_query`, `pg_psql`). */
  readonly sqlToolWords: readonly string[];
  /** Words that make a tool run shell commands (`start_process`, `pods_exec`). */
  readonly execToolWords: readonly string[];
  /** A key with one of these words holds SQL in any tool (`sql`, `sqlStatements`, `migrationSql`). */
  readonly sqlKeyWords: readonly string[];
  /** ...unless it also has one of these: `sql_file` names SQL, it does not hold it. */
  readonly fileKeyWords: readonly string[];
  /** Keys that hold SQL in an SQL runner (`query`, and `command` in Heroku's pg_psql). */
  readonly sqlRunnerKeys: readonly string[];
  /** Keys that hold a shell command in any tool (`cli_command`). */
  readonly shellKeys: readonly string[];
  /** Keys that hold a shell command in a tool that runs them (`command`). */
  readonly execToolKeys: readonly string[];
  /** Keys that name the program such a tool runs, with its arguments apart (`executable`, `args`). */
  readonly execProgramKeys: readonly string[];
  readonly execArgKeys: readonly string[];
  /** Keys that choose what a multi-purpose tool does (`method: "delete"`). */
  readonly dispatchKeys: readonly string[];
  /** Keys that name the kind of object acted on (Kubernetes `kind: "PersistentVolumeClaim"`). */
  readonly kindKeys: readonly string[];
  /** A key whose last word is one of these names a target (`volumeId`, `branch_id`, `names`, `repo`). */
  readonly targetKeyWords: readonly string[];
  /** A key with one of these words names where a call acts (`environment`, `host`): read for production markers. */
  readonly contextKeyWords: readonly string[];
}

/** The MCP rule pack: how calls read, and what in them pauses. */
export interface McpPack {
  readonly vocabulary: McpVocabulary;
  /** The first rule that claims a call's object decides; verb-specific rules come first. */
  readonly objectRules: readonly McpObjectRule[];
  /** A destructive verb whose object no rule claims. */
  readonly destructiveTool: McpRule;
  readonly sqlRules: readonly McpSqlRule[];
  /** An SQL runner whose SQL is nowhere in its arguments (a file, an unknown key). */
  readonly sqlUnreadable: McpRule;
}

/** Bounds on the arguments read: past them the call pauses unread. */
export interface InputLimits {
  /** Characters of strings and keys, summed. */
  readonly maxChars: number;
  /** Nesting of objects and arrays. */
  readonly maxDepth: number;
}

export interface McpCheckOptions {
  /** The server, for agents that report it apart from the tool's name. */
  readonly server?: string;
  /**
   * Judges a shell command a tool carries (`call_aws`'s cli_command, `pods_exec`'s command), e.g. the
   * engine's check. Without it such a command pauses unchecked.
   */
  readonly checkCommand?: (line: string) => Verdict;
  /** Production markers (regex source, case-insensitive); the built-in ones when absent. */
  readonly productionMarkers?: readonly string[];
  readonly limits?: Partial<InputLimits>;
}
