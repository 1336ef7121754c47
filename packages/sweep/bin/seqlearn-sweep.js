#!/usr/bin/env node
// The command itself is built into dist/. This file is committed so that it exists before the
// build: npm links a package's bins at install time and skips ones whose file is missing, which
// is what a fresh workspace checkout (npm ci, then build) would otherwise get.
import '../dist/bin.js';
