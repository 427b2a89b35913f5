/**
 * `runbookc build --watch`: rebuilds a runbook as soon as it changes. The process stays warm
 * (modules loaded, validator compiled, code optimised), which is what makes a rebuild fast.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildRunbookFile, type BuildOptions, type BuildResult } from './compile.js';

/** Editors write a file in several events (truncate, write, rename); one rebuild covers them. */
const SETTLE_MS = 25;

export interface WatchEvents {
  built(file: string, result: BuildResult, milliseconds: number): void;
  failed(file: string, error: unknown): void;
}

/** Watches each file's folder (editors often replace a file rather than write it in place). */
export function watchRunbooks(files: readonly string[], options: BuildOptions, events: WatchEvents): () => void {
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();

  const rebuild = (file: string) => {
    const previous = running.get(file) ?? Promise.resolve();
    const next = previous.then(async () => {
      const started = performance.now();
      try {
        const result = await buildRunbookFile(file, options);
        events.built(file, result, performance.now() - started);
      } catch (e) {
        events.failed(file, e);
      }
    });
    running.set(file, next);
  };

  const watchers: FSWatcher[] = [];
  const byFolder = new Map<string, Map<string, string>>();
  for (const file of files) {
    const folder = dirname(resolve(file));
    if (!byFolder.has(folder)) byFolder.set(folder, new Map());
    byFolder.get(folder)!.set(basename(file), file);
  }
  for (const [folder, names] of byFolder) {
    watchers.push(
      watch(folder, (_event, name) => {
        const file = name ? names.get(name.toString()) : undefined;
        if (!file) return;
        clearTimeout(timers.get(file));
        timers.set(file, setTimeout(() => rebuild(file), SETTLE_MS));
      }),
    );
  }
  return () => {
    for (const w of watchers) w.close();
    for (const t of timers.values()) clearTimeout(t);
  };
}
