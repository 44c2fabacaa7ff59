// What the kernel knows about CPU time and load, from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

export const CLOCK_TICKS_PER_SECOND = 100;

function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may itself hold spaces.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU time (user + system) a process has used so far, in seconds. */
export function cpuSeconds(pid) {
  try {
    const fields = statFields(pid);
    // utime and stime are the 14th and 15th fields of stat, the 12th and 13th after the name.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU time of this process's children that have exited and been waited for (cutime + cstime): wrk's, once it ends. */
export function childCpuSeconds() {
  const fields = statFields('self');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU seconds per PostgreSQL backend serving `database` (its process title is
 * "postgres: <user> <database> <client> <state>"), keyed by pid.
 */
export function postgresBackendCpu(database) {
  const cpu = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!title.startsWith('postgres: ') || !title.split(' ').includes(database)) continue;
      cpu.set(entry, cpuSeconds(entry) ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return cpu;
}

/** Seconds of CPU the backends used between two snapshots; a backend that started meanwhile counts from 0. */
export function postgresCpuDelta(before, after) {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** The machine's CPU counters (all cores), from the first line of /proc/stat, in ticks. */
export function machineCpu() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  const idleTicks = idle + iowait;
  return {
    busy: user + nice + system + irq + softirq + steal,
    total: user + nice + system + irq + softirq + steal + idleTicks,
  };
}

/** Share of all cores busy between two machineCpu() readings, and the busy cores it amounts to. */
export function machineBusy(before, after, cores) {
  const total = after.total - before.total;
  const busy = after.busy - before.busy;
  return {
    busyPercent: total > 0 ? (100 * busy) / total : undefined,
    busyCores: total > 0 ? (busy / total) * cores : undefined,
  };
}

export function loadAverage() {
  const [one, five, fifteen] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return { one, five, fifteen };
}

/** Resident memory of a process, in MiB. */
export function rssMiB(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
