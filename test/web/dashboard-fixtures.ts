/**
 * Small answers of the dashboard's routes, worked by hand, for the
 * dashboard's unit and component tests (fresh copies: tests may not share state).
 */
import type { ProtocolDocument, ScreeningFunnelReport, StudyResults } from '../../web/api/dashboard.ts'

/**
 * 6 subjects registered, 5 screened: 1 fails IN02; 1 is undecided on IN01
 * and fails EX01 (excluded at EX01); 1 undecided on IN01 only; 2 eligible,
 * both randomized (one per arm).
 */
export function funnelReport(): ScreeningFunnelReport {
  return structuredClone({
    protocol_id: 'p1',
    version: 2,
    population: 'subjects',
    basis: "The latest of each registered subject's screenings; evaluations filed under no subject are left out.",
    evaluated_versions: [1, 2],
    subjects: { registered: 6, screened: 5, not_screened: 1, withdrawn: 0 },
    anonymous: 0,
    flow: {
      screened: 5,
      steps: [
        { criterion: 'IN01', kind: 'inclusion', title: 'Lupus nephritis', entering: 5, excluded: 0, unknown: 2, pass: 3 },
        { criterion: 'IN02', kind: 'inclusion', title: 'Age 18 to 65', entering: 5, excluded: 1, unknown: 0, pass: 4 },
        { criterion: 'EX01', kind: 'exclusion', entering: 4, excluded: 1, unknown: 0, pass: 3 },
      ],
      excluded: { total: 2, other_criteria: 0 },
      undetermined: { total: 1, first_undecided: [{ criterion: 'IN01', count: 1 }] },
      eligible: 2,
    },
    randomized: {
      total: 2,
      arms: [
        { arm: 'il2', label: 'IL-2 group', subjects: 1 },
        { arm: 'msc', label: 'MSCs group', subjects: 1 },
      ],
      eligible_not_randomized: 0,
    },
    funnel: {
      records: 5,
      invalid: 0,
      evaluated: 5,
      criteria: [
        { criterion: 'IN01', kind: 'inclusion', entering: 5, pass: 3, fail: 0, unknown: 2, all: { pass: 3, fail: 0, unknown: 2 } },
        { criterion: 'IN02', kind: 'inclusion', entering: 3, pass: 2, fail: 1, unknown: 0, all: { pass: 4, fail: 1, unknown: 0 } },
        { criterion: 'EX01', kind: 'exclusion', entering: 2, pass: 2, fail: 0, unknown: 0, all: { pass: 4, fail: 1, unknown: 0 } },
      ],
      overall: { eligible: 2, ineligible: 2, undetermined: 1 },
    },
  } satisfies ScreeningFunnelReport)
}

/** The parts of a protocol document the dashboard reads: arms, visits, endpoints, reference dates. */
export function protocolDocument(): ProtocolDocument {
  return structuredClone({
    reference_dates: { randomization: { label: 'random allocation' } },
    visits: [
      { id: 'week_4', label: 'week 4', ref: 'randomization', day: 29, window: { before_days: 3, after_days: 3 } },
      { id: 'week_8', label: 'week 8', ref: 'randomization', day: 57, window: { before_days: 3, after_days: 3 } },
    ],
    endpoints: [
      { id: 'complete_response', kind: 'primary', type: 'response', title: 'Complete response (CR)', text: '', visits: ['week_4'], logic: { all: [] } },
      { id: 'partial_response', kind: 'primary', type: 'response', title: 'Partial response (PR)', text: '', visits: ['week_4'], logic: { all: [] } },
      {
        id: 'response_status',
        kind: 'primary',
        type: 'classification',
        title: 'Response rates (CR and RR)',
        text: '',
        visits: ['week_4', 'week_8'],
        levels: [
          { level: 'CR', endpoint: 'complete_response' },
          { level: 'PR', endpoint: 'partial_response' },
        ],
        otherwise: 'NR',
        missing_as: 'otherwise',
      },
      {
        id: 'time_to_pr',
        kind: 'secondary',
        type: 'time_to_event',
        title: 'Time to PR',
        text: '',
        classification: 'response_status',
        levels: ['PR', 'CR'],
        from: 'randomization',
      },
    ],
  } as unknown as ProtocolDocument)
}

const cp = (estimate: number | undefined, lower: number, upper: number) =>
  ({ estimate, lower, upper }) as StudyResults['responses'][number]['arms'][number]['rates'][string]['ci']

/**
 * Two arms of 2 subjects. Week 4: IL-2 1 PR (1/2), MSCs none (0/2). Week 8:
 * IL-2 1 CR + 1 PR, MSCs 1 PR, 1 ungraded (missing counted as NR).
 * Clopper–Pearson 95 %: 0/2 → 0 to 0.8419; 1/2 → 0.0126 to 0.9874; 2/2 → 0.1581 to 1.
 * Time to PR: IL-2 events at day 28 and 56 (incidence 50 %, 100 %); MSCs one
 * event at day 56 and one censored at day 28.
 */
export function studyResults(): StudyResults {
  const r = (x: number, n: number, ci: ReturnType<typeof cp>) => ({ x, n, ci })
  const none = cp(0, 0, 0.8419)
  const half = cp(0.5, 0.0126, 0.9874)
  const all = cp(1, 0.1581, 1)
  return structuredClone({
    version: 1,
    subjects: 4,
    protocol: { registry_id: 'NCT0', version: '1' },
    arms: [
      { arm: 'il2', label: 'IL-2 group', subjects: 2 },
      { arm: 'msc', label: 'MSCs group', subjects: 2 },
    ],
    responses: [
      {
        endpoint: 'response_status',
        visit: 'week_4',
        missing_as: 'otherwise',
        arms: [
          { arm: 'il2', label: 'IL-2 group', subjects: 2, unknown: 0, rates: { CR: r(0, 2, none), PR: r(1, 2, half), any: r(1, 2, half) } },
          { arm: 'msc', label: 'MSCs group', subjects: 2, unknown: 0, rates: { CR: r(0, 2, none), PR: r(0, 2, none), any: r(0, 2, none) } },
        ],
        differences: {
          CR: { difference: 0, lower: -0.6576, upper: 0.6576, method: 'newcombe-hybrid-score' },
          PR: { difference: 0.5, lower: -0.2754, upper: 0.9025, method: 'newcombe-hybrid-score' },
          any: { difference: 0.5, lower: -0.2754, upper: 0.9025, method: 'newcombe-hybrid-score' },
        },
      },
      {
        endpoint: 'response_status',
        visit: 'week_8',
        missing_as: 'otherwise',
        arms: [
          { arm: 'il2', label: 'IL-2 group', subjects: 2, unknown: 0, rates: { CR: r(1, 2, half), PR: r(1, 2, half), any: r(2, 2, all) } },
          { arm: 'msc', label: 'MSCs group', subjects: 2, unknown: 1, rates: { CR: r(0, 2, none), PR: r(1, 2, half), any: r(1, 2, half) } },
        ],
        differences: {
          CR: { difference: 0.5, lower: -0.2754, upper: 0.9025, method: 'newcombe-hybrid-score' },
          PR: { difference: 0, lower: -0.6097, upper: 0.6097, method: 'newcombe-hybrid-score' },
          any: { difference: 0.5, lower: -0.2268, upper: 0.9025, method: 'newcombe-hybrid-score' },
        },
      },
    ],
    time_to_event: [
      {
        endpoint: 'time_to_pr',
        interval_censored_as: 'right',
        excluded: 0,
        arms: [
          {
            arm: 'il2',
            subjects: 2,
            events: 2,
            interval_censored: 1,
            median: 42,
            steps: [
              {
                time: 28,
                atRisk: 2,
                events: 1,
                censored: 0,
                survival: 0.5,
                lower: 0.006,
                upper: 0.91,
                incidence: 0.5,
                incidenceLower: 0.09,
                incidenceUpper: 0.994,
              },
              { time: 56, atRisk: 1, events: 1, censored: 0, survival: 0, lower: 0, upper: 0, incidence: 1, incidenceLower: 1, incidenceUpper: 1 },
            ],
          },
          {
            arm: 'msc',
            subjects: 2,
            events: 1,
            interval_censored: 0,
            steps: [
              { time: 28, atRisk: 2, events: 0, censored: 1, survival: 1, lower: 1, upper: 1, incidence: 0, incidenceLower: 0, incidenceUpper: 0 },
              { time: 56, atRisk: 1, events: 1, censored: 0, survival: 0, lower: 0, upper: 0, incidence: 1, incidenceLower: 1, incidenceUpper: 1 },
            ],
          },
        ],
      },
    ],
    safety: [],
    changes: [],
    responder_index: [],
  } satisfies StudyResults)
}

/** The results of a study with no one randomized yet. */
export function emptyResults(): StudyResults {
  return { ...studyResults(), subjects: 0, responses: [], time_to_event: [], arms: studyResults().arms.map(a => ({ ...a, subjects: 0 })) }
}
