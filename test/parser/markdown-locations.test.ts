import { describe, expect, it } from 'vitest';
import { LocationTrie } from '../../src/parser/markdown/locations.js';

describe('the trie of Markdown positions', () => {
  it('finds a child by its segment as a number or as a string, below and above the size where it keeps a map', () => {
    const trie = new LocationTrie(2);
    const steps = trie.descendantOf(trie.root, ['phases', 0, 'steps']);
    const made = Array.from({ length: 100 }, (_, i) => trie.childOf(steps, i));
    expect(new Set(made).size).toBe(100);
    for (let i = 0; i < 100; i++) {
      expect(trie.child(steps, i)).toBe(made[i]);
      expect(trie.child(steps, String(i))).toBe(made[i]);
      expect(trie.childOf(steps, String(i))).toBe(made[i]);
    }
    expect(trie.child(steps, 100)).toBe(-1);
    expect(trie.child(steps, 'id')).toBe(-1);
    // The columns grew past the capacity given, and kept what was written before.
    trie.place(made[3]!, 10, 20, 5, 8);
    expect(trie.positionOf(['phases', 0, 'steps', '3'], 'value')).toEqual({ start: 10, end: 20 });
  });

  it('gives the nearest known position on the way when a path goes further, the key when asked and known', () => {
    const trie = new LocationTrie(16);
    expect(trie.positionOf(['phases'], 'value')).toBeUndefined();
    trie.place(trie.root, 0, 100);
    const step = trie.descendantOf(trie.root, ['phases', 0, 'steps', 0]);
    trie.place(step, 40, 60);
    const run = trie.childOf(step, 'run');
    trie.place(run, 50, 58, 45, 48);
    expect(trie.positionOf(['phases', 0, 'steps', 0, 'run'], 'value')).toEqual({ start: 50, end: 58 });
    expect(trie.positionOf(['phases', 0, 'steps', 0, 'run'], 'key')).toEqual({ start: 45, end: 48 });
    expect(trie.positionOf(['phases', 0, 'steps', 0, 'title'], 'key')).toEqual({ start: 40, end: 60 });
    expect(trie.positionOf(['phases', 0], 'value')).toEqual({ start: 0, end: 100 });
    expect(trie.positionOf(['variants'], 'value')).toEqual({ start: 0, end: 100 });
  });

  it('keeps where a property was first spelled, and says when it is spelled again', () => {
    const trie = new LocationTrie(16);
    const id = trie.childOf(trie.root, 'id');
    expect(trie.spell(id, 3, 5)).toBe(true);
    expect(trie.spell(id, 30, 50)).toBe(false);
    expect(trie.spelledAt(id)).toEqual({ start: 3, end: 5 });
  });

  it('finds the line starts of a command only at its own path', () => {
    const trie = new LocationTrie(16);
    const run = trie.descendantOf(trie.root, ['phases', 0, 'steps', 1, 'run']);
    trie.setCommandLines(run, [100, 120]);
    expect(trie.commandLinesAt(['phases', 0, 'steps', 1, 'run'])).toEqual([100, 120]);
    expect(trie.commandLinesAt(['phases', 0, 'steps', 1])).toBeUndefined();
    expect(trie.commandLinesAt(['phases', 0, 'steps', 2, 'run'])).toBeUndefined();
  });
});
