/**
 * `match <patient.yaml|json> [--protocols <dir>] [--json]`: one patient
 * against every protocol in a folder, ranked; and `impact <old.yaml>
 * <new.yaml> <patients.yaml|json> [--json]`: which of a list of screened
 * patients an amendment changes.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { amendmentImpact } from '../diff/index.ts'
import { compileProtocol, loadPatient, type AmendmentImpact, type MatchRow } from '../index.ts'
import { matchPatient } from '../match/index.ts'
import { EXIT, fail, readPatients, readProtocol, readText, type CliError } from './files.ts'
import { inCwd, println, type CliIo } from './io.ts'

export const MATCH_USAGE = `  match <patient.yaml|json> [--protocols <dir>] [--json]
      the patient against every protocol in <dir> (default protocols/), ranked:
      eligible; undetermined, fewest missing facts first; ineligible, fewest failing criteria first
  impact <old-protocol.yaml> <new-protocol.yaml> <patients.yaml|json> [--json]
      the amendment's structured diff and the patients (a list of records) whose verdict it changes`

const SYMBOL = { eligible: '✓ eligible', undetermined: '? undetermined', ineligible: '✗ ineligible' } as const

/** Every protocol file in a folder (examples files left out), in name order. */
function protocolFiles(dir: string, io: CliIo): string[] {
  return readdirSync(inCwd(io, dir))
    .filter(f => f.endsWith('.yaml') && !f.endsWith('.examples.yaml'))
    .sort()
    .map(f => join(dir, f))
}

export async function matchCommand(patientPath: string, options: { protocols?: string | undefined; json?: boolean | undefined }, io: CliIo): Promise<number> {
  const text = readText(patientPath, io)
  const loaded = loadPatient(text, { file: patientPath })
  if (!loaded.value) throw { diagnostics: loaded.diagnostics, sources: { [patientPath]: text } } satisfies CliError
  const files = protocolFiles(options.protocols ?? 'protocols', io)
  if (!files.length) return fail(io, `no protocol files (*.yaml) in ${options.protocols ?? 'protocols'}`, EXIT.usage)
  const rows = await matchPatient(
    files.map(f => ({ compiled: compileProtocol(readProtocol(f, io).doc), key: f })),
    loaded.value,
  )
  println(io.stdout, options.json ? JSON.stringify(rows, null, 2) : formatMatch(rows))
  return EXIT.ok
}

export function formatMatch(rows: Array<MatchRow & { key?: string }>): string {
  return rows
    .map(r => {
      const lines = [
        `${r.rank}. ${r.registry_id}  ${SYMBOL[r.overall]}  (${r.counts.passed} passed, ${r.counts.failed} failed, ${r.counts.unknown} unknown of ${r.counts.total})  ${r.title}`,
      ]
      for (const c of r.failing) lines.push(`     ruled out by ${c.id} ${c.title}: ${c.reason}`)
      for (const m of r.missing) lines.push(`     still needed: ${m.description} [${m.key}]`)
      return lines.join('\n')
    })
    .join('\n')
}

export async function impactCommand(args: string[], options: { json?: boolean | undefined }, io: CliIo): Promise<number> {
  const [oldPath, newPath, patientsPath] = args
  if (!oldPath || !newPath || !patientsPath) return fail(io, 'impact needs <old-protocol.yaml> <new-protocol.yaml> <patients.yaml|json>', EXIT.usage)
  const from = compileProtocol(readProtocol(oldPath, io).doc)
  const to = compileProtocol(readProtocol(newPath, io).doc)
  const patients = readPatients(patientsPath, io)
  const impact = await amendmentImpact(
    from,
    to,
    patients.map((patient, i) => ({ key: patient.id ?? `#${i + 1}`, patient })),
  )
  println(io.stdout, options.json ? JSON.stringify(impact, null, 2) : formatImpact(impact))
  return EXIT.ok
}

export function formatImpact(impact: AmendmentImpact): string {
  const { criteria } = impact.diff
  const lines = [
    `criteria: ${criteria.added.length} added, ${criteria.removed.length} removed, ${criteria.changed.length} changed${criteria.changed.length ? ` (${criteria.changed.map(c => c.id).join(', ')})` : ''}`,
    ...criteria.changed.flatMap(c => c.changes.map(ch => `  ${c.id} ${ch.path}: ${JSON.stringify(ch.from)} -> ${JSON.stringify(ch.to)} (${ch.kind})`)),
    `${impact.changed.length} of ${impact.evaluated} patients change verdict${impact.shifted.length ? `; ${impact.shifted.length} keep it for a different reason` : ''}`,
  ]
  for (const c of [...impact.changed, ...impact.shifted]) {
    lines.push(`  ${c.key}: ${c.before.overall} -> ${c.after.overall}`)
    for (const s of c.criteria) lines.push(`    ${s.id}: ${s.before} -> ${s.after}${s.after === 'absent' ? '' : ` — ${s.reason}`}`)
  }
  return lines.join('\n')
}
