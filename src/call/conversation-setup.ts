// Puts together the parts that run a call's conversation: the tool runner (with the call's
// store access for forget_me and its webhook policy) and the conversation controller.
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { RealtimeAgentSession } from '../ai/realtime/realtime-agent-session.ts';
import type { RtpPacer } from '../media/rtp/rtp-pacer.ts';
import type { Logger } from '../observability/logger.ts';
import type { CallRecorder } from './call-recorder.ts';
import type { CallServices } from './call-types.ts';
import { type ConversationActions, ConversationController } from './conversation-controller.ts';
import { ToolRunner } from './tool-runner.ts';

export interface ConversationSetup {
  services: CallServices;
  call: { callId: string; callerNumber: string; recorder: CallRecorder; log: Logger };
  session: RealtimeAgentSession;
  pacer: RtpPacer;
  agent: AgentDefinition;
  /** The caller asked to be forgotten: nothing about this call may be remembered. */
  forgotten: () => void;
  actions: ConversationActions;
}

export function createConversation(setup: ConversationSetup): ConversationController {
  const { config, store, env } = setup.services;
  const { callId, callerNumber, recorder, log } = setup.call;
  const agent = setup.agent;
  const tools = new ToolRunner({
    callId,
    callerNumber,
    recorder,
    log,
    forgetCaller:
      store === null || !callerNumber
        ? null
        : async () => {
            setup.forgotten();
            const outcome = await store.forgetCaller(agent.id, callerNumber);
            log.info(outcome, 'caller asked to be forgotten; memory erased');
          },
    webhooks: { env, allowHttpHosts: config.tools.allowHttpHosts },
  });
  return new ConversationController({
    agent: setup.session,
    pacer: setup.pacer,
    definition: agent,
    recorder,
    tools,
    log,
    actions: setup.actions,
  });
}
