import { describe, expect, it } from 'vitest';
import { startWithClient } from './fake-realtime-fixture.ts';

describe('fake realtime text items', () => {
  it('records user and system text messages and announces each as added and done', async () => {
    const { client, session } = await startWithClient();
    client.send({
      type: 'conversation.item.create',
      item: {
        type: 'message',
        role: 'system',
        content: [{ type: 'input_text', text: 'The caller is a returning customer.' }],
      },
    });
    client.send({
      type: 'conversation.item.create',
      item: {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'First line.' },
          { type: 'input_text', text: 'Second line.' },
        ],
      },
    });
    const done = await client.waitForCount('conversation.item.done', 2);
    const added = client.ofType('conversation.item.added');
    expect(added.map((e) => e.item.id)).toEqual(done.map((e) => e.item.id));
    expect(added[1]?.previous_item_id).toBe(added[0]?.item.id);
    expect(session.textItems).toEqual([
      {
        at: expect.any(Number),
        itemId: added[0]!.item.id,
        role: 'system',
        text: 'The caller is a returning customer.',
      },
      { at: expect.any(Number), itemId: added[1]!.item.id, role: 'user', text: 'First line.\nSecond line.' },
    ]);
    // Adding items never starts a response on the real server.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(session.responses).toHaveLength(0);
  });

  it('refuses a system message with content other than input_text, and an unknown role', async () => {
    const { client, session } = await startWithClient();
    client.sendRaw(
      JSON.stringify({
        type: 'conversation.item.create',
        item: { type: 'message', role: 'system', content: [{ type: 'input_audio', audio: '' }] },
      }),
    );
    client.sendRaw(
      JSON.stringify({
        type: 'conversation.item.create',
        item: { type: 'message', role: 'narrator', content: [] },
      }),
    );
    const errors = await client.waitForCount('error', 2);
    expect(errors.map((e) => [e.error.code, e.error.param])).toEqual([
      ['invalid_value', 'item.content[0].type'],
      ['invalid_value', 'item.role'],
    ]);
    expect(session.textItems).toHaveLength(0);
  });
});
