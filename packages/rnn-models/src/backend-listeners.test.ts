// A file of its own: the wasm backend installs its handlers once per process, when it first
// starts, and this file must see that first start.
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from './process-switches';

type Listener = (...args: unknown[]) => void;
const emitter = process as NodeJS.EventEmitter;

describe('initBackend and the process listeners of the application', () => {
  const mine: [string, Listener][] = [];
  afterAll(() => {
    for (const [event, listener] of mine) emitter.removeListener(event, listener);
  });

  it('keeps listeners the application adds before and while the wasm backend starts', async () => {
    const before: Listener = () => {};
    emitter.on('uncaughtException', before);
    mine.push(['uncaughtException', before]);
    // added while the backend starts: as the backend adds its own uncaughtException handler
    const during: Listener = () => {};
    const watch = (event: string) => {
      if (event !== 'uncaughtException' || mine.length > 1) return;
      emitter.on('unhandledRejection', during);
      mine.push(['unhandledRejection', during]);
    };
    emitter.on('newListener', watch);
    try {
      await initBackend({ backend: 'wasm', log: false });
    } finally {
      emitter.removeListener('newListener', watch);
    }
    expect(mine).toHaveLength(2); // the backend did start here, and `during` was added meanwhile
    expect(emitter.listeners('uncaughtException')).toContain(before);
    expect(emitter.listeners('unhandledRejection')).toContain(during);
    // and the backend's own rethrowing handlers are gone
    for (const event of ['uncaughtException', 'unhandledRejection']) {
      const sources = emitter.listeners(event).map(String);
      expect(sources.filter((s) => s.includes('ExitStatus') || /throw reason/.test(s))).toEqual([]);
    }
  });
});
