#!/usr/bin/env node
import { reportCli } from './cli';

reportCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
