// The agents file the receptionist tests run with: a front desk (default) with every tool, DTMF
// keys, transfer targets and a webhook, and a spa agent reached by pattern.
export function receptionistAgents(options: { webhookUrl?: string; extra?: string } = {}): string {
  return `
agents:
  - id: front
    name: Front Desk
    numbers: ["1000"]
    default: true
    instructions: You are the front desk of Harbour Dental.
    greeting: Greet the caller and ask how you can help.
    tools: [end_call, transfer_call, forget_me, lookup_order]
    transferTargets:
      sales: { description: The sales team, dialplan: { context: staff, extension: "200", priority: 1 } }
      dr_smith: { description: Dr Smith's phone, endpoint: "PJSIP/101", timeoutSec: 5 }
    webhooks:
      - name: lookup_order
        description: Look up an order by number.
        url: ${options.webhookUrl ?? 'https://orders.example.com/lookup'}
        timeoutMs: 2000
        parameters: { type: object, properties: { order: { type: string } }, required: [order] }
    dtmf:
      interDigitTimeoutMs: 300
      keys: { "0": { action: transfer, target: sales } }
${options.extra ?? ''}
  - id: spa
    name: Seaside Spa
    numbers: ["_2XXX"]
    instructions: You are the receptionist of Seaside Spa.
    greeting: Welcome the caller to Seaside Spa.
`;
}
