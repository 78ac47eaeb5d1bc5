import { describe, expect, it } from 'vitest';
import { externalLink, isAppUrl } from './navigation.js';

describe('navigation rules', () => {
  it('lets windows load only the app origin', () => {
    expect(isAppUrl('app://lab/index.html', 'app://lab')).toBe(true);
    expect(isAppUrl('app://lab.evil/index.html', 'app://lab')).toBe(false);
    expect(isAppUrl('app://lab@evil/index.html', 'app://lab')).toBe(false);
    expect(isAppUrl('https://lab/index.html', 'app://lab')).toBe(false);
    expect(isAppUrl('file:///etc/passwd', 'app://lab')).toBe(false);
    expect(isAppUrl('not a url', 'app://lab')).toBe(false);
  });

  it('opens outside only https links to the listed sites', () => {
    expect(externalLink('https://github.com/tensorflow/tfjs')).toEqual({ url: 'https://github.com/tensorflow/tfjs' });
    expect(externalLink('https://arxiv.org/abs/1312.6114')).toEqual({ url: 'https://arxiv.org/abs/1312.6114' });
    expect(externalLink('http://github.com/')).toEqual({ refused: expect.stringContaining('only https') });
    expect(externalLink('file:///etc/passwd')).toEqual({ refused: expect.stringContaining('only https') });
    expect(externalLink('smb://share/x')).toMatchObject({ refused: expect.any(String) });
    expect(externalLink('https://github.com.evil.example/')).toMatchObject({ refused: expect.stringContaining('not one of the sites') });
    expect(externalLink('https://user:pw@github.com/')).toMatchObject({ refused: expect.stringContaining('user name') });
    expect(externalLink('https://github.com:8443/')).toMatchObject({ refused: expect.stringContaining('port 8443') });
    expect(externalLink('javascript:alert(1)')).toMatchObject({ refused: expect.any(String) });
  });
});
