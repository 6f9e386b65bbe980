import { readdirSync, readFileSync } from 'node:fs';

/** One process of a tree with its resident memory. */
export interface ProcessMemory {
  pid: number;
  name: string;
  rssBytes: number;
}

const parentOf = (pid: number): number | undefined => {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …" — comm may hold spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
};

const memoryOf = (pid: number): ProcessMemory | undefined => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const name =
      cmdline
        .find((arg) => /serverless|DynamoDBLocal|\.jar|tsx|jest/.test(arg))
        ?.split('/')
        .slice(-3)
        .join('/') ??
      cmdline[0] ??
      String(pid);
    return { pid, name, rssBytes: rss };
  } catch {
    return undefined; // exited meanwhile
  }
};

/**
 * The resident memory of `root` and every process below it (Linux `/proc`; empty elsewhere):
 * for the benchmark, the whole local system is this process (the stand-ins run in it) and the
 * processes it started (serverless-offline per service with its worker threads, DynamoDB Local).
 */
export const processTreeMemory = (root = process.pid): ProcessMemory[] => {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: ProcessMemory[] = [];
  const visit = (pid: number) => {
    const memory = memoryOf(pid);
    if (memory) tree.push(memory);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
};

/** Samples {@link processTreeMemory} every `intervalMs` and keeps the peak total (and its breakdown). */
export const watchPeakMemory = (intervalMs = 500, root = process.pid) => {
  let peak: { totalBytes: number; processes: ProcessMemory[] } = { totalBytes: 0, processes: [] };
  const sample = () => {
    const processes = processTreeMemory(root);
    const totalBytes = processes.reduce((sum, p) => sum + p.rssBytes, 0);
    if (totalBytes > peak.totalBytes) peak = { totalBytes, processes };
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** The peak since the start or the last reset. */
    peak: () => peak,
    reset: () => {
      peak = { totalBytes: 0, processes: [] };
      sample();
    },
    stop: () => clearInterval(timer),
  };
};
