import { deadDoors, type DoctorReport } from './judge';

/** The report as a table a person reads: one row per door, the dead ones in capitals, then the verdict. */
export function formatReport(report: DoctorReport): string {
  const width = Math.max(...report.doors.map((d) => d.door.length));
  const rows = report.doors.map((d) => `${d.door.padEnd(width)}  ${(d.status === 'dead' ? 'DEAD' : d.status).padEnd(5)}  ${d.detail}`);
  return [`Countersign doctor: ${report.folder}`, '', `${'DOOR'.padEnd(width)}  STATE  DETAIL`, ...rows, '', verdictLine(report)].join('\n') + '\n';
}

export function verdictLine(report: DoctorReport): string {
  const dead = deadDoors(report);
  if (dead.length === 0) return `Every door set up here is live (${report.doors.filter((d) => d.status === 'live').length} live).`;
  return `${dead.length} door${dead.length > 1 ? 's are' : ' is'} dead: ${dead.map((d) => d.door).join(', ')}.`;
}

/** For machines: the report, and `ok` when no door is dead. */
export function reportJson(report: DoctorReport): string {
  return `${JSON.stringify({ ok: deadDoors(report).length === 0, ...report })}\n`;
}
