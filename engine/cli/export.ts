/**
 * `export <protocol.yaml> (--usdm | --fhir [--release R4|R5]) [--out <file>]`:
 * the protocol in a standard's JSON (CDISC USDM 4.0.0, or an HL7 FHIR
 * Bundle) on stdout or in a file; what the standard could not carry is
 * printed on stderr, one line per note, so that nothing is dropped silently.
 */
import { writeFileSync } from 'node:fs'
import { exportProtocol } from '../export/export-protocol.ts'
import { EXPORT_FORMATS, type ExportFormat } from '../export/formats.ts'
import { EXIT, readProtocol } from './files.ts'
import { inCwd, println, type CliIo } from './io.ts'

export const EXPORT_USAGE = `  export <protocol.yaml> (--usdm | --fhir [--release R4|R5]) [--out <file>]
      the protocol as CDISC USDM 4.0.0 or an HL7 FHIR Bundle (R5 unless --release R4), JSON on stdout or in --out;
      what the standard cannot carry is listed on stderr`

interface ExportFlags {
  usdm?: boolean | undefined
  fhir?: boolean | undefined
  release?: string | undefined
  out?: string | undefined
}

function formatOf(flags: ExportFlags): ExportFormat | string {
  if (flags.usdm && flags.fhir) return 'give one of --usdm and --fhir, not both'
  if (flags.usdm) return flags.release === undefined ? 'usdm' : '--release applies to --fhir only'
  if (!flags.fhir) return 'export needs --usdm or --fhir'
  const release = (flags.release ?? 'R5').toUpperCase()
  if (release !== 'R4' && release !== 'R5') return `--release expected R4 or R5, got "${flags.release}"`
  return release === 'R4' ? 'fhir-r4' : 'fhir-r5'
}

export function exportCommand(protocolPath: string, flags: ExportFlags, io: CliIo): number {
  const format = formatOf(flags)
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    println(io.stderr, `${format}\n${EXPORT_USAGE}`)
    return EXIT.usage
  }
  const { doc } = readProtocol(protocolPath, io)
  const out = exportProtocol(doc, format as ExportFormat)
  const json = JSON.stringify(out.document, null, 2)
  if (flags.out) writeFileSync(inCwd(io, flags.out), `${json}\n`)
  else println(io.stdout, json)
  println(io.stderr, `${out.standard}: ${out.notes.length} part(s) of ${doc.protocol.registry_id} the standard does not carry as the protocol does:`)
  for (const n of out.notes) println(io.stderr, `  ${n.where}: ${n.note}`)
  return EXIT.ok
}
