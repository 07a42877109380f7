/**
 * `to-omop <protocol.yaml> <folder> [--records <records.ndjson>]`: patient
 * records written as the OMOP CDM tables the SQL backend reads, one CSV per
 * table (person, observation, measurement, ln_reference_date and the concepts they use), ready for
 * `cohort --omop <folder>`: the protocol's example patients (synthetic), or
 * the records of an NDJSON file (one patient record per line; a line that is
 * not one is refused with its number).
 */
import { DuckDBInstance } from '@duckdb/node-api'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { compileProtocol, examplePatient, validateAgainstSchema, type PatientRecord } from '../index.ts'
import { loadOmop, OMOP_TABLES } from '../sql/omop-load.ts'
import { omopTablesOf } from '../sql/omop-rows.ts'
import { isBlankLine } from '../fast/screen.ts'
import { EXIT, readExamples, readProtocol, readText } from './files.ts'
import { inCwd, println, type CliIo } from './io.ts'

export const TO_OMOP_USAGE = `  to-omop <protocol.yaml> <folder> [--records <records.ndjson>]
      the protocol's example patients (or the records of an NDJSON file) as OMOP CDM tables, one CSV each, for cohort --omop`

function recordsOf(text: string): { records: PatientRecord[] } | { error: string } {
  const records: PatientRecord[] = []
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (isBlankLine(line)) continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      return { error: `line ${i + 1} is not JSON` }
    }
    const errors = validateAgainstSchema('patient', value, undefined).filter(d => d.severity === 'error')
    if (errors.length) return { error: `line ${i + 1} is not a patient record: ${errors[0]!.path} ${errors[0]!.message}` }
    records.push(value as PatientRecord)
  }
  return { records }
}

export async function toOmopCommand(protocolPath: string, folder: string | undefined, flags: { records?: string | undefined }, io: CliIo): Promise<number> {
  if (!folder) {
    println(io.stderr, `to-omop needs a folder to write to\n${TO_OMOP_USAGE}`)
    return EXIT.usage
  }
  const { doc } = readProtocol(protocolPath, io)
  let records: PatientRecord[]
  if (flags.records) {
    const read = recordsOf(readText(flags.records, io))
    if ('error' in read) {
      println(io.stderr, `${flags.records}: ${read.error}`)
      return EXIT.input
    }
    records = read.records
  } else {
    const examples = readExamples(protocolPath, doc, io)
    if (!examples) {
      println(io.stderr, `${protocolPath} has no example patients: give --records <file.ndjson>`)
      return EXIT.input
    }
    records = examples.doc.examples.map(e => examplePatient(examples.doc, e.id))
  }
  const dir = inCwd(io, folder)
  mkdirSync(dir, { recursive: true })
  const instance = await DuckDBInstance.create(':memory:')
  const c = await instance.connect()
  try {
    await loadOmop(sql => c.run(sql), omopTablesOf(records, { dictionary: compileProtocol(doc).dictionary }))
    for (const table of OMOP_TABLES) await c.run(`COPY ${table} TO '${join(dir, `${table}.csv`).replaceAll("'", "''")}' (FORMAT csv, HEADER)`)
  } finally {
    c.closeSync()
    instance.closeSync()
  }
  println(io.stderr, `${records.length} patients written to ${dir} (person_id in record order; person_source_value is the record's id)`)
  return EXIT.ok
}
