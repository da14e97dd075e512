import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a script lives, shortened: `src/…`, `node_modules/<package>`, `node:<module>`, or `(native)`. */
function placeOf(url: string, root: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return path.startsWith('/') ? relative(root, path) : path;
}

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  /** Self time by function, the largest first. */
  readonly functions: readonly { name: string; ms: number; share: number }[];
  /** Self time by file or package, the largest first. */
  readonly places: readonly { place: string; ms: number; share: number }[];
  /** Time in the database driver by the nearest application function that called it (which queries cost). */
  readonly databaseCallers: readonly { caller: string; ms: number; share: number }[];
}

const DATABASE_LAYERS = /^(src\/storage\/|node_modules\/kysely|\(native\)|node:)/;

/** Self time per function and per file of a V8 `.cpuprofile`. */
export function summarizeProfile(file: string, root: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nameOf = (frame: ProfileNode['callFrame']) => {
    const place = placeOf(frame.url, root);
    return `${frame.functionName || '(anonymous)'} ${place}${frame.url === '' ? '' : `:${frame.lineNumber + 1}`}`;
  };
  /** For time in the SQLite driver: the first caller above the storage layer, kysely and Node. */
  const databaseCallerOf = (id: number): string | undefined => {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined || !placeOf(frame.url, root).startsWith('src/storage/dialects/'))
      return undefined;
    for (let up = parentOf.get(id); up !== undefined; up = parentOf.get(up)) {
      const caller = byId.get(up)?.callFrame;
      if (caller !== undefined && !DATABASE_LAYERS.test(placeOf(caller.url, root))) return nameOf(caller);
    }
    return '(unknown caller)';
  };
  const databaseCallers = new Map<string, number>();
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    totalMs += ms;
    const place = placeOf(frame.url, root);
    const name = nameOf(frame);
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const caller = databaseCallerOf(id);
    if (caller !== undefined) databaseCallers.set(caller, (databaseCallers.get(caller) ?? 0) + ms);
    places.set(place, (places.get(place) ?? 0) + ms);
  }
  const ranked = <K extends string>(map: Map<string, number>, key: K) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([label, ms]) =>
          ({ [key]: label, ms, share: ms / totalMs }) as Record<K, string> & { ms: number; share: number },
      );
  return {
    file,
    totalMs,
    functions: ranked(functions, 'name'),
    places: ranked(places, 'place'),
    databaseCallers: ranked(databaseCallers, 'caller'),
  };
}

export function formatProfile(title: string, summary: ProfileSummary): string {
  const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `${title}: ${(summary.totalMs / 1000).toFixed(1)} s of samples (${summary.file})`,
    '  self time by file / package:',
    ...summary.places.map((entry) => `    ${percent(entry.share)}  ${entry.place}`),
    '  self time by function:',
    ...summary.functions.map((entry) => `    ${percent(entry.share)}  ${entry.name}`),
    '  SQLite driver time by the application function that called it:',
    ...summary.databaseCallers.map((entry) => `    ${percent(entry.share)}  ${entry.caller}`),
  ].join('\n');
}

/** The main thread's `.cpuprofile` in `dir` written by process `pid` (V8 names them CPU.<date>.<time>.<pid>.<thread>.<seq>). */
export function findProfileOf(dir: string, pid: number): string | undefined {
  const files = readdirSync(dir).filter(
    (name) => name.endsWith('.cpuprofile') && name.includes(`.${pid}.0.`),
  );
  return files.length === 0 ? undefined : join(dir, files.sort().at(-1) as string);
}
