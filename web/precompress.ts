/**
 * Build step: a brotli (.br) and a gzip (.gz) file beside each compressible
 * file of the built UI, so the server sends them as they are
 * (server/static.ts) instead of compressing on every request — and at
 * settings too slow for per-request use (brotli 11, gzip 9). Run by the Vite
 * build (`precompress()` in vite.config.ts), hence by `npm run build:web`
 * and by web/build-if-stale.ts alike.
 *
 * Written with node:zlib: the one job does not justify a plugin dependency.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { Plugin } from 'vite'

/** Text formats the build can emit; images and fonts are compressed already. */
export const PRECOMPRESSED_EXTENSIONS = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.map', '.txt', '.webmanifest'])

/** Below this a compressed answer saves less than a packet and costs a file; the server's own threshold is the same. */
export const PRECOMPRESS_MIN_BYTES = 1024

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

export interface PrecompressSummary {
  files: number
  plainBytes: number
  brBytes: number
  gzBytes: number
}

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* filesUnder(path)
    else if (entry.isFile()) yield path
  }
}

/** The .br and .gz of one file; a variant that would not be smaller is not written (the server then sends the file). */
async function precompressFile(file: string, summary: PrecompressSummary): Promise<void> {
  const plain = await readFile(file)
  const [br, gzipped] = await Promise.all([
    brotli(plain, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
      },
    }),
    gz(plain, { level: constants.Z_BEST_COMPRESSION }),
  ])
  summary.files++
  summary.plainBytes += plain.length
  if (br.length < plain.length) {
    await writeFile(`${file}.br`, br)
    summary.brBytes += br.length
  } else summary.brBytes += plain.length
  if (gzipped.length < plain.length) {
    await writeFile(`${file}.gz`, gzipped)
    summary.gzBytes += gzipped.length
  } else summary.gzBytes += plain.length
}

/**
 * Precompress every compressible file of `dir` (recursively) of at least
 * PRECOMPRESS_MIN_BYTES. Files are compressed concurrently: zlib works on
 * libuv's thread pool.
 */
export async function precompressDir(dir: string): Promise<PrecompressSummary> {
  const summary: PrecompressSummary = { files: 0, plainBytes: 0, brBytes: 0, gzBytes: 0 }
  const jobs: Array<Promise<void>> = []
  for await (const file of filesUnder(dir)) {
    if (!PRECOMPRESSED_EXTENSIONS.has(extname(file))) continue
    if ((await stat(file)).size < PRECOMPRESS_MIN_BYTES) continue
    jobs.push(precompressFile(file, summary))
  }
  await Promise.all(jobs)
  return summary
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`

/** Vite plugin: precompress the output folder once the bundle is written (build only; the dev server compresses nothing). */
export function precompress(): Plugin {
  let outDir = ''
  let log: (message: string) => void = () => {}
  return {
    name: 'ln-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
      log = message => config.logger.info(message)
    },
    async writeBundle() {
      const started = performance.now()
      const s = await precompressDir(outDir)
      log(
        `precompressed ${s.files} files (${kB(s.plainBytes)}): brotli ${kB(s.brBytes)}, gzip ${kB(s.gzBytes)} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      )
    },
  }
}
