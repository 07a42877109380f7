/**
 * The API's routes by group, in the order app.ts registers them. A new route
 * joins the group of its subject; a new group is one entry here.
 */
import type { Api } from '../http/route.ts'
import { auditRoutes } from './audit.ts'
import { describeRoutes } from './describe.ts'
import { cohortRoutes } from './cohort.ts'
import { dictionaryRoutes } from './dictionary.ts'
import { evaluateBatchRoutes } from './evaluate-batch.ts'
import { evaluateRoutes } from './evaluate.ts'
import { exampleRoutes } from './examples.ts'
import { exportRoutes } from './export.ts'
import { fhirRoutes } from './fhir.ts'
import { impactRoutes } from './impact.ts'
import { matchRoutes } from './match.ts'
import { protocolStatusRoutes } from './protocol-status.ts'
import { protocolRoutes } from './protocols.ts'
import { scheduleRoutes } from './schedule.ts'
import { screenStreamRoutes, type StreamLimits } from './screen-stream.ts'
import { screeningLogRoutes } from './screening-log.ts'
import { serviceRoutes } from './service.ts'
import { studyResultsRoutes } from './study-results.ts'
import { subjectRecordRoutes } from './subject-record.ts'
import { subjectRoutes } from './subjects.ts'
import { tokenRoutes } from './tokens.ts'
import { whatIfRoutes } from './what-if.ts'

export interface RouteGroupOptions {
  /** Streamed screenings at once and their idle timeout (screen-stream.ts). */
  streams: StreamLimits
  /** The OMOP source cohorts run on (cohort.ts), when one is configured. */
  omopSource?: string
}

export interface RouteGroup {
  name: string
  register(api: Api, options: RouteGroupOptions): void
}

export const ROUTE_GROUPS: readonly RouteGroup[] = [
  { name: 'service', register: serviceRoutes },
  {
    name: 'protocols',
    register: api => {
      protocolRoutes(api)
      protocolStatusRoutes(api)
      describeRoutes(api)
      exportRoutes(api)
      exampleRoutes(api)
      impactRoutes(api)
      whatIfRoutes(api)
      scheduleRoutes(api)
    },
  },
  {
    name: 'evaluate',
    register: (api, o) => {
      evaluateRoutes(api)
      evaluateBatchRoutes(api)
      screenStreamRoutes(api, o.streams)
      matchRoutes(api)
    },
  },
  { name: 'fhir', register: fhirRoutes },
  {
    name: 'subjects',
    register: api => {
      subjectRoutes(api)
      subjectRecordRoutes(api)
      studyResultsRoutes(api)
    },
  },
  { name: 'screening log', register: screeningLogRoutes },
  { name: 'cohort', register: (api, o) => cohortRoutes(api, o.omopSource) },
  { name: 'dictionary', register: dictionaryRoutes },
  {
    name: 'admin',
    register: api => {
      auditRoutes(api)
      tokenRoutes(api)
    },
  },
]
