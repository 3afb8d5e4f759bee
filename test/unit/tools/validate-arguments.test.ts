import { describe, expect, it } from 'vitest';
import { parseToolArguments, validateArguments } from '../../../src/tools/tool-arguments.ts';
import { toolResultOutput } from '../../../src/tools/tool-result.ts';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    count: { type: 'integer' },
    price: { type: 'number' },
    urgent: { type: 'boolean' },
    tags: { type: 'array' },
    address: { type: 'object' },
    note: { type: ['string', 'null'] },
    size: { type: 'string', enum: ['small', 'large'] },
  },
  required: ['name', 'count'],
};

describe('tool arguments', () => {
  it('accepts arguments that fit the schema, ignoring undeclared ones', () => {
    expect(
      validateArguments(schema, {
        name: 'x',
        count: 3,
        price: 9.5,
        urgent: false,
        tags: [],
        address: { city: 'Berlin' },
        note: null,
        size: 'large',
        extra: 'ignored',
      }),
    ).toBeUndefined();
  });

  it('reports the first missing required argument', () => {
    expect(validateArguments(schema, {})).toBe("missing required argument 'name'");
    expect(validateArguments(schema, { name: 'x' })).toBe("missing required argument 'count'");
  });

  it('reports the first property of the wrong type', () => {
    expect(validateArguments(schema, { name: 1, count: 'two' })).toBe("argument 'name' must be a string");
    expect(validateArguments(schema, { name: 'x', count: 1, address: [] })).toBe(
      "argument 'address' must be an object",
    );
    expect(validateArguments(schema, { name: 'x', count: 1, note: 4 })).toBe(
      "argument 'note' must be a string or null",
    );
    expect(validateArguments(schema, { name: 'x', count: 1, size: 'medium' })).toBe(
      'argument \'size\' must be one of "small", "large"',
    );
  });

  it('parses the JSON text the model sends, treating blank as no arguments', () => {
    expect(parseToolArguments('{"a":1}')).toEqual({ ok: true, args: { a: 1 } });
    expect(parseToolArguments('  ')).toEqual({ ok: true, args: {} });
    expect(parseToolArguments('{a:1}')).toEqual({ ok: false, error: 'arguments are not valid JSON' });
    expect(parseToolArguments('null')).toEqual({ ok: false, error: 'arguments must be a JSON object' });
  });

  it('turns a result into function_call_output text', () => {
    expect(toolResultOutput({ ok: true, output: { a: 1 } })).toBe('{"ok":true,"output":{"a":1}}');
    expect(toolResultOutput({ ok: true, output: undefined })).toBe('{"ok":true,"output":null}');
    expect(toolResultOutput({ ok: false, error: 'nope' })).toBe('{"ok":false,"error":"nope"}');
  });
});
