import { describe, expect, it } from 'vitest';
import { names } from './names';
import { describeAdapterConformance } from './testing/index';

describeAdapterConformance(names, { splits: { all: 20_074 } });

describe('names', () => {
  it('returns the 18 class names with the records', async () => {
    const { classNames, split } = await names.load();
    expect(split).toBe('all');
    expect(classNames).toHaveLength(18);
  });
});
