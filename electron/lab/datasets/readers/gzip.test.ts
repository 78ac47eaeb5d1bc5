import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { maybeGunzip } from './gzip.js';

describe('bounded gunzip', () => {
  it('leaves plain bytes as they are and inflates gzip within the budget', async () => {
    expect((await maybeGunzip(Buffer.from('1,2\n'), 'a.csv', { maxBytes: 10, limitText: '10 bytes' })).toString()).toBe('1,2\n');
    expect((await maybeGunzip(gzipSync(Buffer.from('1,2\n')), 'a.csv.gz', { maxBytes: 10, limitText: '10 bytes' })).toString()).toBe('1,2\n');
  });

  it('stops at the budget of content that declares no size (a CSV), naming the limit', async () => {
    await expect(maybeGunzip(gzipSync(Buffer.alloc(100_000, 0x31)), 'big.csv.gz', { maxBytes: 1000, limitText: '1000 bytes for a test' })).rejects.toThrow(
      "big.csv.gz: inflates to more than 1000 bytes, which exceeds the lab's limit of 1000 bytes for a test",
    );
  });

  it('stops at the size a header declares and counts what follows', async () => {
    const declaredSize = (head: Buffer) => (head.length >= 1 ? 10 : undefined);
    const exact = await maybeGunzip(gzipSync(Buffer.alloc(10, 7)), 'x.gz', { maxBytes: 1000, limitText: 'x', declaredSize });
    expect(exact.length).toBe(10);
    await expect(maybeGunzip(gzipSync(Buffer.alloc(30, 7)), 'x.gz', { maxBytes: 1000, limitText: 'x', declaredSize })).rejects.toThrow(
      'x.gz: 20 bytes of data after the 10 bytes its header declares; the header does not describe this file',
    );
  });

  it('names damaged gzip data', async () => {
    const cut = gzipSync(Buffer.alloc(5000, 3)).subarray(0, 20);
    await expect(maybeGunzip(cut, 'c.gz', { maxBytes: 1e6, limitText: 'x' })).rejects.toThrow(/^c\.gz: gzip data is truncated or corrupt \(unexpected end of file\)$/);
  });
});
