import { describe, expect, it } from 'vitest';
import { checkFromEngine, checkToEngine } from './engineProtocol.js';

describe('the lab↔engine protocol', () => {
  it('passes well-formed messages through, typed arrays intact', () => {
    const latents = new Float32Array([0.5, -1]);
    const message = checkToEngine({ type: 'query', requestId: 3, query: { kind: 'decode', latents, count: 1 } });
    expect(message.type === 'query' && message.query.kind === 'decode' && message.query.latents).toBe(latents);
    expect(checkFromEngine({ type: 'jobDone', jobId: 'j', error: null })).toEqual({ type: 'jobDone', jobId: 'j', error: null });
  });

  it('carries an ONNX export: the query, and the files as bytes', () => {
    expect(checkToEngine({ type: 'query', requestId: 4, query: { kind: 'onnx' } })).toEqual({ type: 'query', requestId: 4, query: { kind: 'onnx' } });
    const bytes = Uint8Array.from([8, 8, 18]);
    const answer = checkFromEngine({ type: 'answer', requestId: 4, ok: true, answer: { files: [{ name: 'encoder.onnx', bytes }], opset: 17, shape: [16, 16, 1], latentSize: 4 } });
    expect(answer.type === 'answer' && answer.ok && answer.answer.files?.[0]?.bytes).toBe(bytes);
    expect(() => checkFromEngine({ type: 'answer', requestId: 4, ok: true, answer: { files: [{ name: 'encoder.onnx', bytes: [8, 8] }], shape: [], latentSize: 4 } })).toThrow("the engine sent a malformed 'answer' message");
  });

  it('keeps an engine error’s code', () => {
    const answer = checkFromEngine({ type: 'answer', requestId: 1, ok: false, error: { code: 'not-found', message: 'run x has no checkpoint yet' } });
    expect(answer).toEqual({ type: 'answer', requestId: 1, ok: false, error: { code: 'not-found', message: 'run x has no checkpoint yet' } });
  });

  it('refuses a malformed message with what was wrong', () => {
    expect(() => checkToEngine({ type: 'start', workspace: '/w' })).toThrow("the lab sent a malformed 'start' message: runId:");
    expect(() => checkToEngine({ type: 'query', requestId: 1, query: { kind: 'decode', latents: [0.5], count: 1 } })).toThrow(/query\.latents/);
    expect(() => checkFromEngine({ type: 'answer', requestId: 1, ok: false, error: 'plain text' })).toThrow(/the engine sent a malformed 'answer' message/);
    expect(() => checkFromEngine({ type: 'launch-missiles' })).toThrow(/malformed 'launch-missiles'/);
  });
});
