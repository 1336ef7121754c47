import { sweepCli } from './cli';

sweepCli(process.argv.slice(2)).then((code) => {
  // a worker's stop or a finished sweep may leave Redis sockets or timers behind: exit now
  process.exit(code);
});
