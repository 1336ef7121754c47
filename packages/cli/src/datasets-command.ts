import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  type AnyDatasetAdapter,
  type DatasetSource,
  DatasetsError,
  type DownloadProgress,
  download,
  getDataDir,
  getDataset,
  listDatasets,
  progressBar,
} from '@seqlearn/datasets';
import { CliError } from './errors';
import { parseFlags, positiveInteger, type ResolvedIo, type TextSink } from './io';

export const DATASETS_USAGE = `usage: seqlearn datasets list [--json]
       seqlearn datasets download <name> [--dir <dir>] [--force] [--retries <n>]

list       the datasets @seqlearn/datasets can load: kind, splits, where the files come from
           (address, size, sha256) and the licence; --json prints them as one JSON array
download   fetches a dataset's files into <dir>/<name>/ (the cache folder the loaders read),
           with a progress bar on stderr, and checks each against its published sha256; a failed
           download or a wrong checksum leaves no file behind. Prints "<sha256>  <path>" per file.
  --dir <dir>      cache folder (default: SEQLEARN_DATA_DIR, else the user cache folder;
                   pass the same folder as \`dataDir\` when loading)
  --force          download again even when a verified copy is there
  --retries <n>    further attempts after a network error or an HTTP 5xx (default: 3)
  -h, --help       show this help`;

/** `seqlearn datasets ...`; resolves to the exit code. */
export async function datasetsCommand(argv: readonly string[], io: ResolvedIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    (sub === undefined ? io.stderr : io.stdout).write(`${DATASETS_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'list') return listCommand(rest, io);
  if (sub === 'download') return downloadCommand(rest, io);
  throw new CliError({
    code: 'USAGE',
    argument: sub,
    message: `expected list or download, got ${JSON.stringify(sub)}`,
  });
}

function listCommand(argv: readonly string[], io: ResolvedIo): number {
  const { values } = parseFlags(
    argv,
    { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    0,
  );
  if (values.help) {
    io.stdout.write(`${DATASETS_USAGE}\n`);
    return 0;
  }
  const adapters = listDatasets();
  if (values.json) {
    io.stdout.write(`${JSON.stringify(adapters.map(describe), null, 2)}\n`);
    return 0;
  }
  io.stdout.write(`${adapters.map(formatAdapter).join('\n\n')}\n`);
  return 0;
}

/** What `datasets list --json` prints for one adapter. */
function describe(adapter: AnyDatasetAdapter) {
  return {
    name: adapter.name,
    kind: adapter.kind,
    description: adapter.description,
    splits: [...adapter.splits],
    sources: adapter.sources.map((s: DatasetSource) => ({ ...s })),
    license: adapter.license,
    homepage: adapter.homepage,
  };
}

function formatAdapter(adapter: AnyDatasetAdapter): string {
  const lines = [`${adapter.name} (${adapter.kind}; splits: ${adapter.splits.join(', ')})`];
  lines.push(`  ${adapter.description}`);
  if (adapter.sources.length === 0) {
    lines.push(
      adapter.kind === 'synthetic'
        ? '  source:  generated from a seed; nothing to download'
        : '  source:  shipped inside @seqlearn/datasets; nothing to download',
    );
  }
  for (const source of adapter.sources as readonly DatasetSource[]) {
    const facts = [
      source.size === undefined ? 'size unknown' : formatSize(source.size),
      source.sha256 === undefined ? 'no published sha256' : `sha256 ${source.sha256}`,
    ];
    if (source.manual) facts.push('manual download: get it by hand');
    lines.push(`  source:  ${source.url}`, `           ${source.filename}: ${facts.join(', ')}`);
  }
  lines.push(`  licence: ${adapter.license}`);
  if (adapter.homepage) lines.push(`  home:    ${adapter.homepage}`);
  return lines.join('\n');
}

function formatSize(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

async function downloadCommand(argv: readonly string[], io: ResolvedIo): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      dir: { type: 'string' },
      force: { type: 'boolean' },
      retries: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    io.stdout.write(`${DATASETS_USAGE}\n`);
    return 0;
  }
  const [name] = positionals;
  if (name === undefined) {
    throw new CliError({ code: 'USAGE', message: 'expected the name of a dataset, got none' });
  }
  if (values.dir === '') {
    throw new CliError({
      code: 'USAGE',
      argument: '--dir',
      message: '--dir: expected a folder, got ""',
    });
  }
  const retries = positiveInteger('--retries', values.retries, 3, 0);
  let adapter: AnyDatasetAdapter;
  try {
    adapter = getDataset(name);
  } catch (error) {
    if (DatasetsError.isInstance(error) && error.code === 'NOT_FOUND') {
      throw new CliError({
        code: 'USAGE',
        argument: name,
        message: `unknown dataset ${JSON.stringify(name)}; expected one of ${listDatasets()
          .map((a) => a.name)
          .join(', ')}`,
      });
    }
    throw error;
  }
  const sources = adapter.sources as readonly DatasetSource[];
  if (sources.length === 0) {
    io.stderr.write(
      `${adapter.name} is ${adapter.kind === 'synthetic' ? 'generated from a seed' : 'shipped inside @seqlearn/datasets'}; nothing to download\n`,
    );
    return 0;
  }
  const folder = join(resolve(values.dir ?? getDataDir()), adapter.name);
  const manual = sources.filter((s) => s.manual);
  for (const source of sources.filter((s) => !s.manual)) {
    const dest = join(folder, source.filename);
    const label = `${adapter.name}/${source.filename}`;
    const present = !values.force && existsSync(dest);
    let fetched = false;
    const draw = progressFor(label, io.stderr);
    try {
      await download(source.url, {
        dest,
        sha256: source.sha256,
        force: values.force ?? false,
        retries,
        onProgress: (progress) => {
          fetched = true;
          draw(progress);
        },
      });
    } catch (error) {
      if (!DatasetsError.isInstance(error)) throw error;
      throw new CliError({
        code: 'FAILED',
        message: `${label}: ${error.message} [${error.code}]; nothing was written to ${dest}`,
        cause: error,
      });
    }
    const sha = await sha256Of(dest);
    const how =
      source.sha256 === undefined
        ? 'no published sha256 to check it against'
        : present && !fetched
          ? 'already there, sha256 verified'
          : 'sha256 verified';
    io.stderr.write(`${label}: ${how}\n`);
    io.stdout.write(`${sha}  ${dest}\n`);
  }
  if (manual.length > 0) {
    throw new CliError({
      code: 'FAILED',
      message: manual
        .map(
          (s) =>
            `${adapter.name}/${s.filename} cannot be downloaded automatically (terms to accept or a login): get it from ${s.url} and put it at ${join(folder, s.filename)}`,
        )
        .join('\n'),
    });
  }
  return 0;
}

/**
 * The progress display of one file: `progressBar` of @seqlearn/datasets on a terminal, else a
 * line at each tenth (or each 10 MB when the size is not announced), which reads well in a log.
 */
function progressFor(label: string, stderr: TextSink): (progress: DownloadProgress) => void {
  if (stderr.isTTY) return progressBar(label, stderr as NodeJS.WriteStream);
  let next = 0;
  return ({ received, total }) => {
    const mb = (n: number) => (n / 1e6).toFixed(1);
    if (total) {
      const tenth = Math.floor((received / total) * 10);
      if (tenth < next) return;
      next = tenth + 1;
      stderr.write(`${label} ${tenth * 10}% ${mb(received)}/${mb(total)} MB\n`);
    } else if (received >= next * 10e6) {
      next = Math.floor(received / 10e6) + 1;
      stderr.write(`${label} ${mb(received)} MB\n`);
    }
  };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
