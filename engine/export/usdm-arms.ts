/**
 * Arms and their treatments in USDM: a StudyArm per arm (its registry text
 * as description), a StudyIntervention per intervention with one
 * Administration (dose, route, how long dosing lasts), and the arm × epoch
 * grid of StudyCells with a StudyElement per cell.
 */
import type { ResolvedParameters } from '../compile/ir.ts'
import { resolveNumber } from '../compile/resolve.ts'
import type { ProtocolDescription } from '../describe/index.ts'
import type { Arm, Intervention, ProtocolDocument } from '../types.ts'
import type { ExportNote } from './export-notes.ts'
import type { UsdmBuilder, UsdmInstance } from './usdm-build.ts'
import { ROUTE_CODES, USDM_CODES, type CtCode } from './usdm-codes.ts'

export interface UsdmArms {
  arms: UsdmInstance[]
  interventions: UsdmInstance[]
  elements: UsdmInstance[]
  cells: UsdmInstance[]
  notes: ExportNote[]
}

/** A product named "Placebo" (any case) is the placebo; every other product is the experimental treatment. */
const isPlacebo = (i: Intervention) => /^placebo\b/i.test(i.product.trim())
const isPlaceboArm = (arm: Arm) => arm.interventions.length > 0 && arm.interventions.every(isPlacebo)

// NCI Thesaurus C753 Placebo: the CDISC code for a placebo given as a study intervention
const PLACEBO_ROLE: CtCode = { code: 'C753', decode: 'Placebo' }
/** Dose units with a CDISC code; the others are written in the Administration's description. */
const UNIT_CODES: Readonly<Record<string, CtCode>> = { mg: USDM_CODES.milligram }

/** Days from the first dose to the last, both counted: what USDM's Administration.duration holds. */
function dosingDays(i: Intervention, params: ResolvedParameters): number {
  const perCycle = resolveNumber(i.doses_per_cycle, params)
  const cycles = resolveNumber(i.cycles, params)
  const every = i.every_days === undefined ? 0 : resolveNumber(i.every_days, params)
  const period = i.cycle_period_days === undefined ? 0 : resolveNumber(i.cycle_period_days, params)
  return (cycles - 1) * period + (perCycle - 1) * every + 1
}

export function usdmArms(doc: ProtocolDocument, described: ProtocolDescription, params: ResolvedParameters, epochs: UsdmInstance[], b: UsdmBuilder): UsdmArms {
  const notes: ExportNote[] = []
  const interventions: UsdmInstance[] = []
  const elements: UsdmInstance[] = []
  const cells: UsdmInstance[] = []
  const arms = (doc.arms ?? []).map((arm, a) => {
    const made = arm.interventions.map((i, k) => {
      const unit = UNIT_CODES[i.dose.unit]
      const amount = resolveNumber(i.dose.amount, params)
      if (!unit || i.dose.per)
        notes.push({
          where: `arms.${arm.id}.interventions.${i.id}.dose`,
          note: `USDM has no code for the dose unit ${i.dose.unit}${i.dose.per ? ` per ${i.dose.per} body weight` : ''}: the dose is in the Administration's description and its quantity has no unit.`,
        })
      const administration = b.make('Administration', {
        name: i.id,
        label: i.product,
        description: described.arms[a]?.interventions[k] ?? null,
        duration: b.make('Duration', {
          text: null,
          quantity: b.quantity(dosingDays(i, params), USDM_CODES.day),
          durationWillVary: false,
          reasonDurationWillVary: null,
        }),
        dose: b.quantity(amount, i.dose.per ? undefined : unit),
        route: b.aliasCode(ROUTE_CODES[i.route]),
        frequency: null,
        administrableProductId: null,
        medicalDeviceId: null,
        notes: (i.notes ?? []).map(text => b.comment(text)),
      })
      return b.make('StudyIntervention', {
        name: i.id,
        label: i.product,
        description: i.drug ? `${i.product} (${i.drug})` : i.product,
        role: b.code(isPlacebo(i) ? PLACEBO_ROLE : USDM_CODES.experimentalIntervention),
        type: b.code(USDM_CODES.pharmacologicSubstance),
        minimumResponseDuration: null,
        codes: [],
        administrations: [administration],
        notes: [],
      })
    })
    interventions.push(...made)
    const studyArm = b.make('StudyArm', {
      name: arm.id,
      label: arm.label,
      description: arm.text,
      type: b.code(isPlaceboArm(arm) ? USDM_CODES.placeboArm : USDM_CODES.experimentalArm),
      dataOriginDescription: 'Data collected from the subjects of this study',
      dataOriginType: b.code(USDM_CODES.dataGeneratedWithinStudy),
      populationIds: [],
      notes: (arm.notes ?? []).map(text => b.comment(text)),
    })
    for (const epoch of epochs) {
      const element = b.make('StudyElement', {
        name: `${arm.id}_${String(epoch.name)}`,
        label: `${arm.label}: ${String(epoch.label)}`,
        description: null,
        transitionStartRule: null,
        transitionEndRule: null,
        studyInterventionIds: epoch === epochs[0] ? [] : made.map(i => i.id),
        notes: [],
      })
      elements.push(element)
      cells.push(b.make('StudyCell', { armId: studyArm.id, epochId: epoch.id, elementIds: [element.id] }))
    }
    return studyArm
  })
  if (arms.length > 0)
    notes.push({
      where: 'arms',
      note: 'The protocol names no arm type: an arm whose every product is "Placebo" is a Placebo Control Arm, every other arm an Experimental Arm. The dosing calendar (every n days, doses per cycle, cycles, cycle period) is in each Administration\'s description; its duration is the days from first to last dose.',
    })
  return { arms, interventions, elements, cells, notes }
}
