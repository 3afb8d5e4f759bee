/** What running a tool gave: the output for the model, or an error it can read out or act on. */
export type ToolResult = { ok: true; output: unknown } | { ok: false; error: string };

/** The text for a function_call_output item (its `output` must be a string). */
export function toolResultOutput(result: ToolResult): string {
  return JSON.stringify(result.ok ? { ok: true, output: result.output ?? null } : result);
}
