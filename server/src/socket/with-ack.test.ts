import { describe, expect, it } from 'vitest';
import { withAck } from './with-ack.js';

describe('withAck', () => {
  it('acks what the handler answers, given the payload', async () => {
    const acks: unknown[] = [];
    await withAck(async (payload) => ({ ok: true, echo: payload }), () => {})('hi', (result: unknown) => acks.push(result));
    expect(acks).toEqual([{ ok: true, echo: 'hi' }]);
  });

  it('still runs the handler when the ack is missing or not a function', async () => {
    const seen: unknown[] = [];
    const handler = withAck(async (payload) => void seen.push(payload), () => {});
    await handler('no ack');
    await handler('a string ack', 'not a function');
    expect(seen).toEqual(['no ack', 'a string ack']);
  });

  it('an event with only an ack is handled as a missing payload, and answered', async () => {
    const seen: unknown[] = [];
    const acks: unknown[] = [];
    await withAck(async (payload) => (seen.push(payload), { ok: false }), () => {})((result: unknown) => acks.push(result));
    expect(seen).toEqual([undefined]);
    expect(acks).toEqual([{ ok: false }]);
  });

  it('a handler that throws is reported and answered internal', async () => {
    const errors: unknown[] = [];
    const acks: unknown[] = [];
    const boom = new Error('boom');
    await withAck(async () => { throw boom; }, (error) => errors.push(error))({}, (result: unknown) => acks.push(result));
    expect(errors).toEqual([boom]);
    expect(acks).toEqual([{ ok: false, error: { code: 'internal', message: expect.stringMatching(/went wrong/) } }]);
  });

  it('a handler that throws without an ack is still reported, and nothing else fails', async () => {
    const errors: unknown[] = [];
    await expect(withAck(async () => { throw new Error('boom'); }, (error) => errors.push(error))({})).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
