/**
 * Moving a database's records between the SQLite and PostgreSQL stores as
 * one NDJSON file (tables.ts says which tables, and how rows are ordered):
 *
 *   {"format":"ln-trial-rules/db-export","version":1,"from":…,"exported_at":…,"tables":[…]}
 *   {"t":"tokens","v":[…column values…]}              one line per row, table after table
 *   {"summary":{"tokens":{"rows":3,"sha256":"…"},…}}  each table's row count and content hash
 *
 * The export reads one snapshot. An import goes into a database with none of
 * these rows (a new one), in one transaction: the file's rows are checked
 * against its summary before the commit (a truncated or edited file is
 * refused, nothing written); after it, the target's own rows are read back
 * and must give the same counts and hashes.
 */
import { TABLES, TableDigest, canonicalRow, type TableAccess, type TableSpec } from './tables.ts'

export const EXPORT_FORMAT = 'ln-trial-rules/db-export'
export const EXPORT_VERSION = 1

export type TableSummary = Record<string, { rows: number; sha256: string }>

/** Write every table of `source` as the module comment says; returns what the summary line says. */
export async function exportDatabase(source: TableAccess, write: (line: string) => Promise<void> | void): Promise<TableSummary> {
  return source.read(async rows => {
    await write(
      JSON.stringify({
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        from: source.label,
        exported_at: new Date().toISOString(),
        tables: TABLES.map(t => t.name),
      }),
    )
    const summary: TableSummary = {}
    for (const spec of TABLES) {
      const digest = new TableDigest()
      for await (const row of rows(spec)) {
        const values = canonicalRow(spec, row)
        digest.add(values)
        await write(JSON.stringify({ t: spec.name, v: values }))
      }
      summary[spec.name] = digest.summary()
    }
    await write(JSON.stringify({ summary }))
    return summary
  })
}

/** The counts and hashes of `db`'s tables as they stand (an import's check, or a comparison of two databases). */
export function summarize(db: TableAccess): Promise<TableSummary> {
  return db.read(async rows => {
    const summary: TableSummary = {}
    for (const spec of TABLES) {
      const digest = new TableDigest()
      for await (const row of rows(spec)) digest.add(canonicalRow(spec, row))
      summary[spec.name] = digest.summary()
    }
    return summary
  })
}

/** Why an import was refused, in a sentence (the CLI prints it). */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ImportRefused'
  }
}

/**
 * Import the lines of an export into `target`, which must hold none of its
 * rows; throws ImportRefused (nothing written) when it does, or when the file
 * is not a whole export of a known format; returns the summary, checked.
 *
 * @param lines opens the file's lines once the target is found empty (a
 *   readline interface made earlier would drop the lines it reads meanwhile)
 */
export async function importDatabase(target: TableAccess, lines: () => AsyncIterable<string>): Promise<TableSummary> {
  for (const spec of TABLES) {
    const n = await target.count(spec.name)
    if (n > 0) throw new ImportRefused(`${target.label} is not empty (${spec.name}: ${n} rows): import into a new database`)
  }
  const byName = new Map(TABLES.map(t => [t.name, t]))
  let declared: TableSummary | undefined
  await target.transaction(async insert => {
    const digests = new Map<string, TableDigest>(TABLES.map(t => [t.name, new TableDigest()]))
    let lineNo = 0
    let order = 0
    for await (const line of lines()) {
      lineNo++
      if (line.trim() === '') continue
      let item: { format?: string; version?: number; t?: string; v?: unknown[]; summary?: TableSummary }
      try {
        item = JSON.parse(line) as typeof item
      } catch {
        throw new ImportRefused(`line ${lineNo} is not JSON: not an export file, or damaged`)
      }
      if (lineNo === 1) {
        if (item.format !== EXPORT_FORMAT) throw new ImportRefused(`line 1 is not the header of an ${EXPORT_FORMAT} file`)
        if (item.version !== EXPORT_VERSION)
          throw new ImportRefused(`the file is version ${item.version} of the export format; this version reads ${EXPORT_VERSION}`)
        continue
      }
      if (declared) throw new ImportRefused(`line ${lineNo} follows the summary line: the file is damaged`)
      if (item.summary) {
        declared = item.summary
        continue
      }
      const spec: TableSpec | undefined = item.t === undefined ? undefined : byName.get(item.t)
      if (!spec || !Array.isArray(item.v) || item.v.length !== spec.columns.length)
        throw new ImportRefused(
          `line ${lineNo}: not a row of a known table (found ${JSON.stringify(item.t)} with ${Array.isArray(item.v) ? item.v.length : 'no'} values)`,
        )
      // tables come in the export's order, which their foreign keys need
      const position = TABLES.indexOf(spec)
      if (position < order) throw new ImportRefused(`line ${lineNo}: a ${spec.name} row after rows of a later table`)
      order = position
      digests.get(spec.name)!.add(item.v)
      await insert(spec, item.v)
    }
    if (!declared) throw new ImportRefused('the file ends before its summary line: it is truncated')
    for (const spec of TABLES) {
      const got = digests.get(spec.name)!.summary()
      const want = declared[spec.name]
      if (!want || want.rows !== got.rows || want.sha256 !== got.sha256)
        throw new ImportRefused(
          `the rows of ${spec.name} in the file (${got.rows}) do not match its summary (${want?.rows ?? 'none'} rows${want && want.rows === got.rows ? ', another hash' : ''}): the file was edited or damaged; nothing imported`,
        )
    }
  })
  // what the target now holds, read back
  const stored = await summarize(target)
  for (const spec of TABLES) {
    if (stored[spec.name]!.sha256 !== declared![spec.name]!.sha256)
      throw new Error(
        `after the import, ${target.label}'s ${spec.name} does not give the file's content hash (${stored[spec.name]!.rows} rows): compare the two databases before using it`,
      )
  }
  return stored
}
