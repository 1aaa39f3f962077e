import { toolName } from '../../engine/invocation';
import type { Invocation } from '../../engine/invocation';
import type { Condition, RulePack } from '../types';

/**
 * The machine itself: power, processes, services, firewall and network, scheduled jobs, shell
 * history, and programs fetched from the network straight into an interpreter.
 */

const NOT_HELP: Condition = { not: { option: ['help', 'version'] } };

/** Services whose loss takes a host's access, networking, containers or data stores down. */
const CRITICAL_UNIT = '^(?:ssh|sshd|openssh-server|docker|containerd|cri-o|crio|kubelet|k3s|etcd|nginx|apache2|httpd|caddy|haproxy|traefik|postgres|postgresql|mysql|mysqld|mariadb|redis|redis-server|mongod|mongodb|memcached|elasticsearch|opensearch|rabbitmq-server|kafka|zookeeper|NetworkManager|networking|network|systemd-networkd|systemd-resolved|wpa_supplicant|firewalld|ufw|nftables|iptables|netfilter-persistent|cron|crond|rsyslog|systemd-journald|dbus|dbus-broker|systemd-logind|polkit|sssd|chronyd|tailscaled|wg-quick)(?:[-@.][\\w@.:-]*)?$';

const POWER_TARGETS = '^(?:poweroff|halt|reboot|kexec|rescue|emergency|shutdown)(?:\\.target)?$';

/** Programs whose output is a download (or a decoded blob), not text on the line. */
const FETCHERS = new Set(['curl', 'wget', 'fetch', 'http', 'https', 'xh', 'aria2c', 'nc', 'ncat', 'socat', 'base64', 'xxd', 'openssl', 'gpg']);
const INTERPRETERS = new Set(['python', 'python2', 'python3', 'pypy', 'pypy3', 'perl', 'ruby', 'node', 'nodejs', 'bun', 'deno', 'php', 'lua', 'Rscript', 'rscript', 'tclsh', 'osascript', 'pwsh', 'powershell']);
const CODE_OPTIONS = new Set(['c', 'e', 'E', 'r', 'm', 'eval', 'print', 'p', 'command', 'Command', 'i', 'x', 'version', 'help', 'V', 'h']);

/** `kill` arguments after the signal: the pids it is sent to. */
function killTargets(inv: Invocation): string[] {
  const args = inv.argv.slice(1);
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-s' || a === '-n' || a === '--signal') {
      i++;
      continue;
    }
    if (a === '-l' || a === '-L' || a === '--list' || a === '--table') return [];
    // The first dash word is the signal (`-9`, `-KILL`, `-SIGTERM`); a later `-1` is a target.
    if (i === 0 && /^-(?:\d+|[A-Za-z][A-Za-z0-9+-]*)$/.test(a)) continue;
    if (/^-(?:-|[a-z])/.test(a) && !/^-\d+$/.test(a)) continue;
    break;
  }
  return args.slice(i);
}

export const systemPack: RulePack = {
  id: 'system',
  grammars: [
    {
      tools: ['systemctl'],
      valueOptions: ['H', 'host', 'M', 'machine', 't', 'type', 's', 'signal', 'p', 'property', 'n', 'lines', 'o', 'output', 'root', 'kill-whom', 'kill-value', 'job-mode', 'state', 'what', 'timestamp', 'when', 'image', 'preset-mode', 'boot-loader-entry', 'message', 'reboot-argument', 'drop-in'],
    },
    { tools: ['iptables', 'ip6tables', 'iptables-legacy', 'ip6tables-legacy', 'iptables-nft', 'ip6tables-nft'], valueOptions: ['t', 'table', 'w', 'wait', 'W', 'wait-interval', 'M', 'modprobe'] },
    { tools: ['ip'], valueOptions: ['n', 'netns', 'b', 'batch', 'rc', 'rcvbuf', 'f', 'family', 'l', 'loops'] },
    { tools: ['nft'], valueOptions: ['f', 'file', 'I', 'includepath', 'D', 'define'] },
    { tools: ['crontab'], valueOptions: ['u'] },
    { tools: ['pkill', 'killall'], valueOptions: ['s', 'signal', 'u', 'U', 'euid', 'uid', 'g', 'G', 'group', 'P', 'parent', 't', 'terminal', 'F', 'pidfile', 'o', 'older-than', 'y', 'younger-than', 'n', 'ns', 'nslist', 'c', 'context'] },
    { tools: ['nmcli'], valueOptions: ['f', 'fields', 'g', 'get-values', 'm', 'mode', 'c', 'colors', 'e', 'escape', 'w', 'wait', 'a', 'ask'] },
  ],
  detectors: {
    /** kill aimed at every process (-1) or at init (1). */
    'system.kill-everything': (inv) => killTargets(inv).some((t) => t === '-1' || t === '1'),
    /** A command piped into itself (`:|:`, `bomb|bomb`), the body of a fork bomb. */
    'system.fork-bomb': (inv) => {
      const from = inv.stdin?.kind === 'pipe' ? inv.stdin.from : undefined;
      if (!from || from.words.length !== 1 || inv.words.length !== 1) return false;
      return from.words[0].static && from.words[0].value === inv.words[0].value;
    },
    /** An interpreter that reads its program from a download piped in, or from `<(curl ...)`. */
    'system.interpreter-reads-download': (inv) => {
      const options = [...inv.options.keys()];
      if (options.some((o) => CODE_OPTIONS.has(o))) return false;
      const script = inv.words.slice(1).find((w) => !w.value.startsWith('-') || w.value === '-');
      if (script && script.value !== '-') return /^[<>]\(/.test(script.raw);
      const from = inv.stdin?.kind === 'pipe' ? inv.stdin.from : undefined;
      if (!from || from.words.length === 0) return false;
      const source = from.words[0];
      return !source.static || FETCHERS.has(toolName(source.value));
    },
  },
  rules: [
    {
      id: 'system.power',
      tools: ['reboot', 'shutdown', 'halt', 'poweroff', 'kexec'],
      when: { all: [NOT_HELP, { not: { option: ['c', 'k', 'show', 'w', 'wtmp-only'] } }] },
      severity: 'high',
      title: 'Reboots or powers off the machine',
      why: 'This stops every process on the host: running jobs, unsaved work, other people’s sessions and the services it provides. On a remote or production machine it can stay down until someone with console access brings it back.',
      saferAlternative: 'Schedule it (`shutdown -r +10 "reason"`, cancel with `shutdown -c`) and let the owner of the machine confirm; restart the one service that needs it instead.',
    },
    {
      id: 'system.init-runlevel',
      tools: ['init', 'telinit'],
      when: { anyPositional: '0|6|s|S|1' },
      severity: 'high',
      title: 'Switches the machine’s runlevel',
      why: '`init 0` halts and `init 6` reboots the machine; `init 1`/`S` drops to single-user mode, stopping every service and network login.',
      saferAlternative: 'Use `shutdown -r +10` so it can be cancelled, or restart only the service concerned.',
    },
    {
      id: 'system.systemctl-power',
      tools: ['systemctl'],
      when: {
        any: [
          { sub: ['reboot|poweroff|halt|kexec|soft-reboot|rescue|emergency|suspend|hibernate|hybrid-sleep|suspend-then-hibernate'] },
          { all: [{ sub: ['isolate|start'] }, { positionalMatches: POWER_TARGETS, skip: 1 }] },
          { all: [{ sub: ['isolate'] }, { positionalMatches: '^(?:multi-user|runlevel[0-6])(?:\\.target)?$', skip: 1 }] },
        ],
      },
      severity: 'high',
      title: 'Reboots, powers off or isolates the machine through systemd',
      why: 'systemctl reboot/poweroff/halt/rescue/emergency (or isolating such a target) stops every service on the host at once; rescue and emergency leave it without networking or remote logins.',
      saferAlternative: 'Restart the single unit that needs it (`systemctl restart <unit>`), or schedule the reboot with `shutdown -r +10` so it can be cancelled.',
    },
    {
      id: 'system.stop-critical-service',
      tools: ['systemctl'],
      when: { all: [{ sub: ['stop|disable|mask|kill|freeze'] }, { positionalMatches: CRITICAL_UNIT, skip: 1 }] },
      severity: 'high',
      title: 'Stops or disables a critical service',
      why: 'Stopping, killing, disabling or masking this unit takes down remote access (sshd), networking, the firewall, the container runtime or a database on this host. Over SSH it can cut off the session that would restart it; disable/mask keep it down after the next reboot.',
      saferAlternative: 'Use `systemctl restart <unit>` or `reload` if a restart is what is needed, check `systemctl status <unit>` first, and stop a production service only in a planned window.',
    },
    {
      id: 'system.service-stop-critical',
      tools: ['service'],
      when: { all: [{ sub: ['*', 'stop'] }, { positionalMatches: CRITICAL_UNIT }] },
      severity: 'high',
      title: 'Stops a critical service',
      why: 'Stopping this service takes down remote access (sshd), networking, the firewall, the container runtime or a database on this host; over SSH it can cut off the session that would restart it.',
      saferAlternative: 'Use `service <name> restart` or `reload`, and check `service <name> status` first.',
    },
    {
      id: 'system.kill-all-processes',
      tools: ['kill'],
      when: { detect: 'system.kill-everything' },
      severity: 'critical',
      title: 'Signals every process (or init)',
      why: '`kill -9 -1` sends the signal to every process the user can reach, including the shell, editors and services; as root that is the whole machine. Signalling PID 1 (init/systemd) brings the system down.',
      saferAlternative: 'Find the exact process first (`pgrep -a <name>`) and signal that PID, with SIGTERM before SIGKILL.',
    },
    {
      id: 'system.killall5',
      tools: ['killall5'],
      severity: 'critical',
      title: 'Signals every process on the machine',
      why: 'killall5 sends a signal to all processes except the kernel threads and its own session; it is meant for shutdown scripts and stops everything else running on the host.',
      saferAlternative: 'Signal the specific process (`pkill -x <name>` or `kill <pid>`) instead.',
    },
    {
      id: 'system.kill-critical-process',
      tools: ['pkill', 'killall'],
      when: { all: [NOT_HELP, { any: [{ positionalMatches: `^(?:init|systemd|sshd|dockerd|containerd|kubelet|postgres|mysqld|mariadbd|NetworkManager)$` }, { positionalMatches: '^(?:\\.|\\.\\*|\\.\\+)?$' }] }] },
      severity: 'high',
      title: 'Kills system-critical processes by name',
      why: 'This kills every process with a critical name (init/systemd, sshd, the container runtime, a database) or, with a pattern like `.`, every process at all. Killed databases need crash recovery; killed sshd or systemd cut off access to the host.',
      saferAlternative: 'Use `systemctl restart <unit>` for services, or find the exact PID with `pgrep -a` and signal only that.',
    },
    {
      id: 'system.fork-bomb',
      tools: ['*'],
      when: { detect: 'system.fork-bomb' },
      severity: 'critical',
      title: 'Looks like a fork bomb',
      why: 'A function that pipes into itself in the background (`:(){ :|:& };:`) multiplies processes until the machine runs out of them; the host becomes unresponsive and usually has to be rebooted.',
      saferAlternative: 'Do not run this. To test process limits, use `ulimit -u` inside a disposable container.',
    },
    {
      id: 'system.firewall-flush',
      tools: ['iptables', 'ip6tables', 'iptables-legacy', 'ip6tables-legacy', 'iptables-nft', 'ip6tables-nft'],
      when: {
        any: [
          { option: ['F', 'flush', 'X', 'delete-chain'] },
          { all: [{ option: ['P', 'policy'] }, { anyPositional: 'DROP|REJECT', skip: 0 }] },
          { optionValue: ['P', 'policy'], matches: '^(DROP|REJECT)$' },
        ],
      },
      severity: 'critical',
      title: 'Flushes or locks down the firewall rules',
      why: 'iptables -F/-X removes every rule (or chain) in the table: whatever the firewall was blocking is open at once, and NAT or port forwarding stops. A DROP default policy without an allow rule cuts off remote access, including this session.',
      saferAlternative: 'Save the rules first (`iptables-save > rules.bak`), delete the single rule concerned (`iptables -D ...`), and test changes with a timed rollback (`iptables-apply`).',
    },
    {
      id: 'system.ufw-off',
      tools: ['ufw'],
      when: { any: [{ sub: ['disable'] }, { all: [{ sub: ['reset'] }, { option: ['force', 'f'] }] }] },
      severity: 'critical',
      title: 'Turns off or resets the firewall',
      why: '`ufw disable` stops filtering entirely and `ufw --force reset` deletes every rule without asking; everything the firewall protected is exposed until it is rebuilt.',
      saferAlternative: 'Delete or add the specific rule (`ufw delete allow 8080`), and check `ufw status numbered` first.',
    },
    {
      id: 'system.nft-flush',
      tools: ['nft'],
      when: { sub: ['flush', 'ruleset'] },
      severity: 'critical',
      title: 'Flushes every nftables rule',
      why: '`nft flush ruleset` removes all tables, chains and rules at once: the host is unfiltered and any NAT stops working.',
      saferAlternative: 'Save the ruleset first (`nft list ruleset > rules.nft`) and delete only the rule or chain concerned.',
    },
    {
      id: 'system.firewall-off-other',
      tools: ['firewall-cmd', 'pfctl'],
      when: { any: [{ option: ['panic-on', 'd'] }, { optionValue: ['F'], matches: '^(all|rules|nat)$' }] },
      severity: 'critical',
      title: 'Disables or blocks the firewall wholesale',
      why: '`firewall-cmd --panic-on` drops all traffic (cutting off remote access), `pfctl -d` disables the packet filter, and `pfctl -F all` flushes its rules.',
      saferAlternative: 'Change the single rule or service concerned, and keep a console session open when changing firewall policy.',
    },
    {
      id: 'system.interface-down',
      tools: ['ifconfig', 'ip', 'nmcli'],
      when: {
        any: [
          { sub: ['*', 'down'] },
          { all: [{ sub: ['l|li|lin|link', 's|se|set'] }, { anyPositional: 'down', skip: 2 }] },
          { sub: ['a|ad|add|addr|addre|addres|address', 'f|fl|flu|flus|flush'] },
          { sub: ['n|ne|net|netw|netwo|networ|network|networki|networkin|networking', 'off'] },
          { sub: ['r|ra|rad|radi|radio', '*', 'off'] },
          { sub: ['d|de|dev|devi|devic|device', 'disconnect|down|delete'] },
          { sub: ['c|co|con|conn|conne|connec|connect|connecti|connectio|connection', 'down|delete|del'] },
        ],
      },
      severity: 'high',
      title: 'Takes a network interface down',
      why: 'Bringing an interface down or flushing its addresses disconnects the host on that link. On a remote machine that is usually the link you are connected through, and nothing on the network can bring it back up.',
      saferAlternative: 'Check which interface carries your session (`ip route get <your-ip>`), and make changes with a timed rollback or from a console.',
    },
    {
      id: 'system.ifdown',
      tools: ['ifdown'],
      when: { all: [{ sub: ['*'] }, NOT_HELP] },
      severity: 'high',
      title: 'Takes a network interface down',
      why: 'ifdown deconfigures the interface; on a remote machine that is usually the link you are connected through, and nothing on the network can bring it back up.',
      saferAlternative: 'Check which interface carries your session (`ip route get <your-ip>`) and work from a console when reconfiguring it.',
    },
    {
      id: 'system.routes-flush',
      tools: ['ip', 'route'],
      when: {
        any: [
          { all: [{ sub: ['r|ro|rou|rout|route', 'f|fl|flu|flus|flush'] }, { not: { sub: ['*', '*', 'cache'] } }] },
          { sub: ['r|ro|rou|rout|route', 'd|de|del|dele|delet|delete', 'default|0.0.0.0/0|0/0'] },
          { sub: ['del|delete', 'default|0.0.0.0'] },
          { all: [{ sub: ['del|delete', '-net|-inet'] }, { anyPositional: 'default|0.0.0.0', skip: 1 }] },
        ],
      },
      severity: 'critical',
      title: 'Deletes the default route or flushes the routing table',
      why: 'Without a default route (or with the table flushed) the host can no longer reach anything outside its own subnet: remote sessions drop, and it cannot be reached to repair it.',
      saferAlternative: 'Inspect with `ip route show`, replace routes atomically with `ip route replace`, and keep console access when changing routing.',
    },
    {
      id: 'system.crontab-remove',
      tools: ['crontab'],
      when: { any: [{ option: ['r', 'remove'] }, { anyPositional: '/dev/null' }] },
      severity: 'high',
      title: 'Deletes the whole crontab',
      why: '`crontab -r` deletes every scheduled job of the user at once, with no backup (and `r` sits next to `e` on the keyboard). Installing /dev/null as the crontab does the same.',
      saferAlternative: 'Save it first (`crontab -l > crontab.bak`), then remove single lines with `crontab -e`.',
    },
    {
      id: 'system.history-clear',
      tools: ['history'],
      when: { option: ['c', 'd'] },
      severity: 'medium',
      title: 'Erases the shell history',
      why: 'Clearing the history removes the record of what was run in this shell: the trail a reviewer would use to see what an agent did.',
      saferAlternative: 'Leave the history in place; if a secret was typed, delete that single entry by hand.',
    },
    {
      id: 'system.history-disable',
      tools: ['set'],
      when: { all: [{ anyPositional: '+o' }, { anyPositional: 'history' }] },
      severity: 'medium',
      title: 'Turns shell history off',
      why: '`set +o history` stops the shell from recording what is run: nothing done afterwards leaves a trail for review.',
      saferAlternative: 'Leave history recording on.',
    },
    {
      id: 'system.history-env-off',
      tools: ['*'],
      when: { any: [{ env: '^HISTFILE$', valueMatches: '^(/dev/null)?$' }, { env: '^HIST(FILE)?SIZE$', valueMatches: '^0$' }] },
      severity: 'medium',
      title: 'Runs with shell history turned off',
      why: 'HISTFILE is pointed at /dev/null (or emptied) or the history size is set to 0 on this line, so the commands that follow leave no trail for review.',
      saferAlternative: 'Leave HISTFILE and HISTSIZE alone.',
    },
    {
      id: 'system.history-file-erase',
      tools: ['rm', 'shred', 'truncate', '>', 'srm', 'unlink'],
      when: { positionalMatches: '(?:^|/)\\.(?:bash|zsh|sh|ksh|fish|python|mysql|psql|node_repl|sqlite)_history$|(?:^|/)\\.local/share/fish/fish_history$' },
      severity: 'medium',
      title: 'Erases a shell history file',
      why: 'Deleting or emptying a history file removes the record of commands run on this account: the trail a reviewer would use to see what was done.',
      saferAlternative: 'Leave the history file in place; if it contains a secret, remove that line with an editor.',
    },
    {
      id: 'system.pipe-to-interpreter',
      tools: [...INTERPRETERS],
      when: { detect: 'system.interpreter-reads-download' },
      severity: 'high',
      title: 'Runs a downloaded program straight from the network',
      why: 'The program this interpreter runs is whatever the download returns at that moment; nobody has read it, and a compromised or spoofed server runs its code with your permissions. It is the python/perl/ruby/node form of `curl | sh`.',
      saferAlternative: 'Download to a file, read it (or check its checksum or signature), then run the file.',
    },
  ],
};
