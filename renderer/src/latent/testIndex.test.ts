import { describe, expect, it } from 'vitest';
import { testIndexProblem } from './testIndex.js';

describe('a typed test-image number', () => {
  it('is refused beyond the test split, with the range there is', () => {
    expect(testIndexProblem(20000, 10000)).toBe('There is no test image #20,000: the test split has 10,000 images (0–9,999)');
    expect(testIndexProblem(10000, 10000)).toBe('There is no test image #10,000: the test split has 10,000 images (0–9,999)');
    expect(testIndexProblem(-1, 10000)).toBe('There is no test image #-1: the test split has 10,000 images (0–9,999)');
  });

  it('is refused when empty or fractional, and taken from 0 to the last image', () => {
    expect(testIndexProblem('', 10000)).toBe('Type a test image number (0–9,999)');
    expect(testIndexProblem(2.5, 10000)).toBe('A test image number is a whole number; 2.5 was given');
    expect(testIndexProblem(0, 10000)).toBeNull();
    expect(testIndexProblem(9999, 10000)).toBeNull();
    expect(testIndexProblem(0, 0)).toBe('This run has no test images');
  });
});
