import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueJobId, redisConnection, startQueueWorker } from './queue';
import { runSweep } from './run-sweep';

// These tests need Debian's redis-server (`apt-get install redis-server`; .ci/run installs it).
// Without it they are skipped, and say so.
const REDIS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((f) =>
  fs.existsSync(f),
);
if (!REDIS) {
  console.warn(
    '@seqlearn/sweep: SKIPPING the BullMQ queue tests: no redis-server in /usr/bin or /usr/local/bin (apt-get install redis-server)',
  );
}

const fixture = fileURLToPath(new URL('./__fixtures__/arith-sweep.mjs', import.meta.url));
const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
const here = path.dirname(fileURLToPath(import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A `seqlearn-sweep worker` process (from the sources, through tsx) and what it printed. */
function startWorker(url: string, queueName: string, env: NodeJS.ProcessEnv) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      bin,
      'worker',
      '--queue',
      url,
      '--queue-name',
      queueName,
      '--concurrency',
      '2',
      '--lock-duration',
      '1500',
      '--stalled-interval',
      '500',
    ],
    { cwd: here, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  return { child, output, text: () => output.join('') };
}

describe('redisConnection', () => {
  it('reads host, port, credentials and db from a Redis URL', () => {
    expect(redisConnection('redis://u:p%40ss@10.0.0.5:6380/2')).toMatchObject({
      host: '10.0.0.5',
      port: 6380,
      username: 'u',
      password: 'p@ss',
      db: 2,
    });
    expect(redisConnection('redis://box')).toMatchObject({ host: 'box', port: 6379 });
  });

  it('rejects a URL that is not redis:// or rediss://', () => {
    expect(() => redisConnection('http://box:6379')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'queue' }),
    );
  });
});

describe('a queue that cannot be reached', () => {
  it('fails a sweep and a worker with QUEUE_ERROR instead of waiting', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`; // nothing listens there
    await expect(
      runSweep({
        title: 't',
        settings: [{ id: 'a' }],
        module: fixture,
        queue: url,
        metric: 'val_score',
        out: fs.mkdtempSync(path.join(os.tmpdir(), 'seqlearn-sweep-queue-')),
        seed: 1,
        log: () => {},
      }),
    ).rejects.toThrow(expect.objectContaining({ code: 'QUEUE_ERROR', argument: 'queue' }));
    await expect(startQueueWorker({ url, log: () => {} })).rejects.toThrow(
      expect.objectContaining({ code: 'QUEUE_ERROR' }),
    );
  });
});

describe('queueJobId', () => {
  it('is the same for the same run and differs for another setting, with no colon', () => {
    const job = {
      setting: { id: 'a:1', units: 3 },
      seed: 1,
      runId: 'a:1',
      phase: 'selection' as const,
    };
    expect(queueJobId('s', job)).toBe(
      queueJobId('s', { ...job, setting: { units: 3, id: 'a:1' } }),
    );
    expect(queueJobId('s', job)).not.toBe(
      queueJobId('s', { ...job, setting: { id: 'a:1', units: 4 } }),
    );
    expect(queueJobId('s', job)).not.toContain(':');
  });
});

describe.skipIf(!REDIS)('runSweep with a BullMQ queue on redis-server', () => {
  let redis: ChildProcess | undefined;
  let url = '';
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    const port = await freePort();
    redis = spawn(
      REDIS as string,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    url = `redis://127.0.0.1:${port}`;
    await until('redis-server to accept connections', () => accepts(port));
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    if (redis && redis.exitCode === null) {
      const exited = new Promise((r) => redis?.once('exit', r));
      redis.kill('SIGTERM');
      await exited;
    }
  });

  it('two workers run every run once, a killed worker’s run is retried on the other, and results come back through Redis', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlearn-sweep-queue-'));
    const out = path.join(dir, 'out');
    const marks = path.join(dir, 'marks');
    fs.mkdirSync(marks);
    const queueName = 'test-kill';
    const a = startWorker(url, queueName, { SWEEP_TEST_DIR: marks });
    const b = startWorker(url, queueName, { SWEEP_TEST_DIR: marks });
    workers.push(a.child, b.child);
    await until(
      'both workers to listen',
      () => /taking runs/.test(a.text()) && /taking runs/.test(b.text()),
    );

    const settings = [1, 2, 3, 4, 5].map((i) => ({ id: `s${i}`, units: 10 * i, ms: 500 }));
    const base = {
      title: 'arithmetic',
      settings,
      module: fixture,
      queue: url,
      queueName,
      metric: 'val_score',
      finalOnly: /^test_/,
      seed: 3,
      repeats: 2,
      log: () => {},
    };
    const sweep = runSweep({ ...base, out });
    // kill worker A (SIGKILL: no goodbye) while it holds a run
    await until('worker A to start a run', () => /started (\S+)/.test(a.text()));
    const killed = /started (\S+)/.exec(a.text())?.[1] as string;
    const startedIn = () =>
      fs.readdirSync(marks).filter((f) => f.startsWith(`${killed}.`) && f.endsWith('.start'));
    // ...and its run function is running in A's child process
    await until('the run function to start in worker A', () => startedIn().length === 1);
    a.child.kill('SIGKILL');
    const results = await sweep;

    const runIds = [...settings.map((s) => s.id), 's5-seed4', 's5-seed5'];
    expect(results.runs.map((r) => r.runId)).toEqual(runIds.slice(0, 5));
    expect(results.repeats.map((r) => r.runId)).toEqual(['s5-seed4', 's5-seed5']);
    // every run finished exactly once (the run function appends one line per completion)
    for (const id of runIds) {
      const done = fs
        .readFileSync(path.join(marks, `${id}.done`), 'utf8')
        .trim()
        .split('\n');
      expect(done, id).toHaveLength(1);
      expect(fs.existsSync(path.join(out, id, 'run.json')), id).toBe(true);
    }
    // the killed run started twice (two processes) and finished once, on worker B
    const starts = startedIn();
    expect(starts.length).toBe(2);
    expect(b.text()).toContain(`finished ${killed}`);
    // each run got floor(cores / 2) kernel threads
    const threads = String(Math.max(1, Math.floor(os.availableParallelism() / 2)));
    expect(fs.readFileSync(path.join(marks, starts[0]), 'utf8')).toBe(threads);

    // the same results as a sequential sweep in this process
    const { loadSweepModule } = await import('./sweep-module');
    const { run } = await loadSweepModule<(typeof settings)[number]>(fixture);
    const local = path.join(dir, 'local');
    const { queue: _q, module: _m, queueName: _n, ...inProcess } = base;
    delete process.env.SWEEP_TEST_DIR;
    await runSweep({ ...inProcess, run, out: local });
    const text = (d: string) => fs.readFileSync(path.join(d, 'results.json'), 'utf8');
    expect(text(out)).toBe(text(local));

    // enqueued again (a restarted enqueuer): every job is found finished in Redis, none runs again
    const again = path.join(dir, 'again');
    await runSweep({ ...base, out: again });
    for (const id of runIds) {
      expect(
        fs
          .readFileSync(path.join(marks, `${id}.done`), 'utf8')
          .trim()
          .split('\n'),
      ).toHaveLength(1);
    }
    expect(text(again)).toBe(text(out));
  }, 60_000);
});
