/**
 * Where the values of a Markdown runbook are spelled: a trie of path segments (`phases`, `3`,
 * `steps`, `0`, `run`), each node with file offsets for its value, its key and where the property
 * was first spelled (-1: none).
 *
 * The nodes are numbers and their fields columns of numbers, as the YAML reader keeps its nodes
 * (src/parser/yaml.ts): a 10,000-step runbook has some 90,000 positions, and an object per node
 * with an object of children per container cost about 12 MB kept until the IR is built, which in a
 * short-lived process costs time of its own (see bench/RESULTS.md). Lines and columns are made
 * only for the positions asked for.
 */
import { doubled } from '../../util/typed-columns.js';
import type { PathSegment } from './embedded-yaml.js';

/** A node with more children than this finds them in a map (a phase's steps), not by walking its list. */
const MANY_CHILDREN = 8;

export class LocationTrie {
  /** The root: the whole document. */
  readonly root = 0;
  private count = 0;
  private valueStart: Int32Array;
  private valueEnd: Int32Array;
  private keyStart: Int32Array;
  private keyEnd: Int32Array;
  private spelledStart: Int32Array;
  private spelledEnd: Int32Array;
  /** Children are a list: the first, each one's next sibling, and the last (to append); -1 ends it. */
  private firstChild: Int32Array;
  private nextSibling: Int32Array;
  private lastChild: Int32Array;
  private childCount: Int32Array;
  /** The segment each node is reached by, as spelled (a list index as a number). */
  private readonly segments: PathSegment[] = [];
  private readonly manyChildren = new Map<number, Map<string, number>>();
  private readonly commandLineStarts = new Map<number, number[]>();

  /** `capacity`: the number of nodes expected; the columns grow when it is not enough. */
  constructor(capacity: number) {
    const size = Math.max(64, capacity);
    this.valueStart = new Int32Array(size);
    this.valueEnd = new Int32Array(size);
    this.keyStart = new Int32Array(size);
    this.keyEnd = new Int32Array(size);
    this.spelledStart = new Int32Array(size);
    this.spelledEnd = new Int32Array(size);
    this.firstChild = new Int32Array(size);
    this.nextSibling = new Int32Array(size);
    this.lastChild = new Int32Array(size);
    this.childCount = new Int32Array(size);
    this.add('');
  }

  /** The child of `node` reached by `segment`, or -1. A list index is the same segment as a number or as a string. */
  child(node: number, segment: PathSegment): number {
    const name = typeof segment === 'string' ? segment : String(segment);
    const many = this.manyChildren.get(node);
    if (many) return many.get(name) ?? -1;
    for (let c = this.firstChild[node]!; c !== -1; c = this.nextSibling[c]!) {
      const s = this.segments[c]!;
      if (s === segment || (typeof s === 'string' ? s : String(s)) === name) return c;
    }
    return -1;
  }

  /** The child of `node` reached by `segment`, added when there is none yet. */
  childOf(node: number, segment: PathSegment): number {
    const existing = this.child(node, segment);
    if (existing !== -1) return existing;
    const c = this.add(segment);
    if (this.firstChild[node] === -1) this.firstChild[node] = c;
    else this.nextSibling[this.lastChild[node]!] = c;
    this.lastChild[node] = c;
    const count = ++this.childCount[node]!;
    const many = this.manyChildren.get(node);
    if (many) many.set(String(segment), c);
    else if (count > MANY_CHILDREN) {
      const byName = new Map<string, number>();
      for (let k = this.firstChild[node]!; k !== -1; k = this.nextSibling[k]!) byName.set(String(this.segments[k]), k);
      this.manyChildren.set(node, byName);
    }
    return c;
  }

  descendantOf(node: number, path: readonly PathSegment[]): number {
    let n = node;
    for (let i = 0; i < path.length; i++) n = this.childOf(n, path[i]!);
    return n;
  }

  /** Places a value (and its key, if any) at file offsets. */
  place(node: number, valueStart: number, valueEnd: number, keyStart = -1, keyEnd = -1): void {
    this.valueStart[node] = valueStart;
    this.valueEnd[node] = valueEnd;
    this.keyStart[node] = keyStart;
    this.keyEnd[node] = keyEnd;
  }

  /** Records where the property at `node` was spelled; false when it was spelled before (and keeps the first). */
  spell(node: number, start: number, end: number): boolean {
    if (this.spelledStart[node]! >= 0) return false;
    this.spelledStart[node] = start;
    this.spelledEnd[node] = end;
    return true;
  }

  /** Where the property at `node` was first spelled. */
  spelledAt(node: number): { start: number; end: number } {
    return { start: this.spelledStart[node]!, end: this.spelledEnd[node]! };
  }

  setCommandLines(node: number, lineStarts: number[]): void {
    this.commandLineStarts.set(node, lineStarts);
  }

  /** Where each line of the fenced command at `path` starts, if the value there is one. */
  commandLinesAt(path: readonly PathSegment[]): number[] | undefined {
    let node = this.root;
    for (let i = 0; i < path.length && node !== -1; i++) node = this.child(node, path[i]!);
    return node === -1 ? undefined : this.commandLineStarts.get(node);
  }

  /**
   * The offsets of the value at `path` (of its key, for `part` key, when it has one), or of the
   * nearest value on the way to it when `path` goes further than the positions known; undefined
   * when not even the root has one.
   */
  positionOf(path: readonly PathSegment[], part: 'key' | 'value'): { start: number; end: number } | undefined {
    let found = this.valueStart[this.root]! >= 0 ? this.root : -1;
    let key = false;
    let node = this.root;
    for (let i = 0; i < path.length; i++) {
      node = this.child(node, path[i]!);
      if (node === -1) break;
      if (this.valueStart[node]! >= 0) {
        found = node;
        key = i === path.length - 1 && part === 'key' && this.keyStart[node]! >= 0;
      }
    }
    if (found === -1) return undefined;
    return key ? { start: this.keyStart[found]!, end: this.keyEnd[found]! } : { start: this.valueStart[found]!, end: this.valueEnd[found]! };
  }

  private add(segment: PathSegment): number {
    if (this.count === this.valueStart.length) this.grow();
    const n = this.count++;
    this.valueStart[n] = -1;
    this.valueEnd[n] = -1;
    this.keyStart[n] = -1;
    this.keyEnd[n] = -1;
    this.spelledStart[n] = -1;
    this.spelledEnd[n] = -1;
    this.firstChild[n] = -1;
    this.nextSibling[n] = -1;
    this.lastChild[n] = -1;
    this.childCount[n] = 0;
    this.segments.push(segment);
    return n;
  }

  private grow(): void {
    this.valueStart = doubled(this.valueStart);
    this.valueEnd = doubled(this.valueEnd);
    this.keyStart = doubled(this.keyStart);
    this.keyEnd = doubled(this.keyEnd);
    this.spelledStart = doubled(this.spelledStart);
    this.spelledEnd = doubled(this.spelledEnd);
    this.firstChild = doubled(this.firstChild);
    this.nextSibling = doubled(this.nextSibling);
    this.lastChild = doubled(this.lastChild);
    this.childCount = doubled(this.childCount);
  }
}
