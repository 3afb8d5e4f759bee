import {
  invalidType,
  invalidValue,
  isRecord,
  missingParameter,
  type RealtimeParamError,
  unknownParameter,
} from './param-errors.ts';

const functionToolKeys = new Set(['type', 'name', 'description', 'parameters']);
const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

// session.update's `tools`: function tools only (the fake has no MCP). Absent fields are
// missing_required_parameter, wrong types invalid_type, wrong values invalid_value, as the real
// server words them.
export function toolsError(tools: unknown): RealtimeParamError | undefined {
  if (!Array.isArray(tools)) return invalidType('session.tools', 'an array', tools);
  const names = new Set<string>();
  for (const [index, tool] of tools.entries()) {
    const base = `session.tools[${index}]`;
    const error = functionToolError(tool, base);
    if (error) return error;
    const name = (tool as { name: string }).name;
    // Not confirmed against the real server; a duplicate name is a client bug worth failing on.
    if (names.has(name)) {
      return { code: 'invalid_value', message: `Duplicate tool name: '${name}'.`, param: `${base}.name` };
    }
    names.add(name);
  }
  return undefined;
}

function functionToolError(tool: unknown, base: string): RealtimeParamError | undefined {
  if (!isRecord(tool)) return invalidType(base, 'an object', tool);
  if (tool.type === undefined) return missingParameter(`${base}.type`);
  if (tool.type !== 'function') return invalidValue(`${base}.type`, tool.type, ['function']);
  for (const key of Object.keys(tool)) {
    if (!functionToolKeys.has(key)) return unknownParameter(`${base}.${key}`);
  }
  if (tool.name === undefined) return missingParameter(`${base}.name`);
  if (typeof tool.name !== 'string') return invalidType(`${base}.name`, 'a string', tool.name);
  if (!toolNamePattern.test(tool.name)) {
    return {
      code: 'invalid_value',
      message: `Invalid '${base}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
      param: `${base}.name`,
    };
  }
  if (tool.description !== undefined && typeof tool.description !== 'string') {
    return invalidType(`${base}.description`, 'a string', tool.description);
  }
  if (tool.parameters === undefined) return missingParameter(`${base}.parameters`);
  if (!isRecord(tool.parameters)) return invalidType(`${base}.parameters`, 'an object', tool.parameters);
  return undefined;
}

const toolChoiceModes = ['none', 'auto', 'required'];

export function toolChoiceError(choice: unknown): RealtimeParamError | undefined {
  const param = 'session.tool_choice';
  if (typeof choice === 'string') {
    return toolChoiceModes.includes(choice) ? undefined : invalidValue(param, choice, toolChoiceModes);
  }
  if (!isRecord(choice)) return invalidType(param, 'a string or an object', choice);
  if (choice.type === undefined) return missingParameter(`${param}.type`);
  if (choice.type !== 'function') return invalidValue(`${param}.type`, choice.type, ['function']);
  if (choice.name === undefined) return missingParameter(`${param}.name`);
  if (typeof choice.name !== 'string') return invalidType(`${param}.name`, 'a string', choice.name);
  return undefined;
}
