/**
 * The screening funnel as boxes of a CONSORT-style flow and as table rows,
 * from GET /protocols/:id/screening-funnel. Pure: no DOM, so it is tested
 * on its own; tp-screening-funnel draws what this returns.
 */
import type { ScreeningFunnelReport, ScreeningFunnelView } from '../api/dashboard.ts'
import { plural, shareOf } from './format.ts'

/** What a box means, said with a symbol and a tone (the tone's colour is never the only cue). */
export type FlowTone = 'neutral' | 'in' | 'out' | 'unknown'

export interface FlowItem {
  label: string
  count: number
}

export interface FlowBox {
  key: string
  title: string
  count: number
  /** A line under the count (share of screened, who was counted). */
  note?: string
  /** The breakdown (per criterion, per arm). */
  items?: FlowItem[]
  tone: FlowTone
}

/** A step down the flow: the main box and the boxes that branch off it. */
export interface FlowStage {
  main: FlowBox
  side: FlowBox[]
}

export interface FlowModel {
  /** Nothing screened yet: draw an empty state, not a flow of zeros. */
  empty: boolean
  stages: FlowStage[]
  /** The arms the randomized subjects were allocated to, side by side under the last stage. */
  arms: FlowBox[]
}

export interface FunnelRow {
  criterion: string
  kind: 'inclusion' | 'exclusion'
  title: string
  entering: number
  excluded: number
  /** Excluded as a share of those entering, in words. */
  excludedShare: string
  unknown: number
  pass: number
  /** Fail this criterion among every screened record, whatever earlier criteria gave. */
  failAll: number
}

/** `IN02 · Age 18 to 65`, or just the id when the criterion has no title. */
function criterionLabel(report: ScreeningFunnelReport, id: string): string {
  if (id === 'other') return 'a criterion of another version'
  const step = report.flow.steps.find(s => s.criterion === id)
  if (!step) return `${id} (not in version ${report.version})`
  return step.title ? `${id} · ${step.title}` : id
}

/**
 * The boxes of the flow, top to bottom.
 *
 * @example
 * flowModel(report).stages.map((s) => s.main.title) // ['Registered subjects', 'Screened', 'Eligible', 'Randomized']
 */
export function flowModel(report: ScreeningFunnelView): FlowModel {
  const { flow, subjects, randomized, anonymous, population } = report
  const ofScreened = (n: number) => `${shareOf(n, flow.screened)} of screened`
  const stages: FlowStage[] = []

  stages.push({
    main: { key: 'registered', title: 'Registered subjects', count: subjects.registered, tone: 'neutral' },
    side:
      subjects.not_screened > 0
        ? [{ key: 'not-screened', title: 'Not yet screened', count: subjects.not_screened, note: 'registered, no screening counted', tone: 'neutral' }]
        : [],
  })

  const excludedItems: FlowItem[] = flow.steps.filter(s => s.excluded > 0).map(s => ({ label: criterionLabel(report, s.criterion), count: s.excluded }))
  if (flow.excluded.other_criteria > 0) excludedItems.push({ label: 'criteria no longer in this version', count: flow.excluded.other_criteria })
  const who =
    population === 'all' && anonymous > 0
      ? `${plural(subjects.screened, 'subject')} (latest screening) + ${plural(anonymous, 'anonymous evaluation')}`
      : `latest screening of ${plural(subjects.screened, 'subject')}`
  stages.push({
    main: { key: 'screened', title: 'Screened', count: flow.screened, note: who, tone: 'neutral' },
    side: [
      {
        key: 'excluded',
        title: 'Excluded (ineligible)',
        count: flow.excluded.total,
        note: `${ofScreened(flow.excluded.total)}; by the first criterion failed, in protocol order`,
        items: excludedItems,
        tone: 'out',
      },
      {
        key: 'undetermined',
        title: 'Undetermined',
        count: flow.undetermined.total,
        // the criteria listed below it finish the sentence; with none, it would end on "for"
        note: flow.undetermined.first_undecided.length ? `${ofScreened(flow.undetermined.total)}; data still needed for` : ofScreened(flow.undetermined.total),
        items: flow.undetermined.first_undecided.map(u => ({ label: criterionLabel(report, u.criterion), count: u.count })),
        tone: 'unknown',
      },
    ],
  })

  stages.push({
    main: { key: 'eligible', title: 'Eligible', count: flow.eligible, note: ofScreened(flow.eligible), tone: 'in' },
    side: [
      {
        key: 'not-randomized',
        title: 'Eligible, not randomized',
        count: randomized.eligible_not_randomized,
        note: 'subjects whose latest screening is eligible',
        tone: 'neutral',
      },
    ],
  })

  stages.push({
    // blinded: the server counts no arm (server/routes/blinding.ts), and the box says why none is shown
    main: {
      key: 'randomized',
      title: 'Randomized',
      count: randomized.total,
      ...(report.blinded ? { note: 'allocation per arm not shown (blinded)' } : {}),
      tone: 'in',
    },
    side: [],
  })

  return {
    empty: flow.screened === 0,
    stages,
    arms: randomized.arms.map(a => ({ key: `arm:${a.arm}`, title: a.label, count: a.subjects, note: `allocated (${a.arm})`, tone: 'neutral' })),
  }
}

/** One row per criterion, in protocol order. */
export function funnelRows(report: ScreeningFunnelReport): FunnelRow[] {
  return report.flow.steps.map(s => ({
    criterion: s.criterion,
    kind: s.kind,
    title: s.title ?? '',
    entering: s.entering,
    excluded: s.excluded,
    excludedShare: shareOf(s.excluded, s.entering),
    unknown: s.unknown,
    pass: s.pass,
    failAll: report.funnel.criteria.find(c => c.criterion === s.criterion)?.all.fail ?? 0,
  }))
}

/** A sentence when evaluations of other versions were counted against this version's criteria; undefined otherwise. */
export function versionNote(report: ScreeningFunnelReport): string | undefined {
  const others = report.evaluated_versions.filter(v => v !== report.version)
  if (others.length === 0) return undefined
  return `Includes screenings against version${others.length === 1 ? '' : 's'} ${others.join(', ')}, read against the criteria of version ${report.version}.`
}
