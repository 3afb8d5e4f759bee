// A test that prints to the console unexpectedly fails: output belongs in logs the test captures.
import { afterEach, beforeEach } from 'vitest';

const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let printed: string[] = [];
const originals = new Map<string, (...args: unknown[]) => void>();

beforeEach(() => {
  printed = [];
  for (const name of methods) {
    originals.set(name, console[name]);
    console[name] = (...args: unknown[]) => {
      printed.push(`console.${name}: ${args.map(String).join(' ')}`);
    };
  }
});

afterEach(() => {
  for (const name of methods) {
    const original = originals.get(name);
    if (original) console[name] = original;
  }
  if (printed.length > 0) {
    throw new Error(`test printed to the console:\n${printed.join('\n')}`);
  }
});
