/**
 * Request and response schemas shared by routes (and the OpenAPI document):
 * each shape the API answers in more than one place, declared once.
 */
import type { Context } from 'hono'
import { BACKEND_NAMES, DEFAULT_BACKEND, isBackendName, type BackendName } from '../../engine/index.ts'
import { jsonBody, type JsonSchema } from '../http/route.ts'
import { anyObject, arrayOf, bool, engineSchema, int, mapOf, merged, named, nullable, obj, oneOfStrings, str } from '../http/json-schema.ts'

export const versionQuery = { schema: { type: 'integer', minimum: 1 }, description: 'version number (default: the latest)' }

/** `?engine=`: the backend that evaluates (engine/backends), read by {@link backendOf}. */
export const engineQuery = {
  schema: { type: 'string', enum: BACKEND_NAMES },
  description: 'the backend that evaluates: fast (default: compiled closures) or reference (json-rules-engine); the same verdict either way',
}

/** The backend a request asks for (`?engine=`, checked against {@link engineQuery} by the route). */
export const backendOf = (c: Context): BackendName => {
  const name = c.req.query('engine')
  return name !== undefined && isBackendName(name) ? name : DEFAULT_BACKEND
}

/** A protocol sent as JSON (or as application/yaml text). */
export interface ProtocolTextJson {
  yaml: string
  change_note?: string
  id?: string
}

/** A protocol sent as JSON: `{ yaml, change_note?, id? }` (or as application/yaml text, when the body is undefined). */
export const protocolTextBody = jsonBody<ProtocolTextJson | undefined>({
  description: 'Protocol YAML as application/yaml, or JSON { yaml, change_note?, id? }',
  yaml: true,
  schema: {
    type: 'object',
    required: ['yaml'],
    properties: {
      yaml: { type: 'string', minLength: 1, description: 'the protocol YAML text' },
      change_note: { type: 'string', description: 'what changed and why' },
      id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'protocol id (create only)' },
    },
    additionalProperties: false,
  },
})

const diagnostic = named('Diagnostic', {
  ...obj(
    {
      code: str(),
      severity: oneOfStrings(['error', 'warning']),
      message: str(),
      path: str('path inside the document, e.g. criteria[3].logic'),
      file: str(),
      line: int(),
      column: int(),
      endLine: int(),
      endColumn: int(),
      expected: str(),
      found: str(),
    },
    ['file', 'line', 'column', 'endLine', 'endColumn', 'expected', 'found'],
  ),
  description: 'a located problem (engine Diagnostic): where (file, line, column, path), what was expected and found; more members may follow',
})

/** The members a 422 with located diagnostics adds to its problem. */
export const diagnosticSchema: JsonSchema = obj({ diagnostics: arrayOf(diagnostic) })

/** `{ valid, diagnostics }` of a validation. */
export const validationSchema: JsonSchema = obj({ valid: bool(), diagnostics: arrayOf(diagnostic) })

const TRUTH = ['met', 'not_met', 'unknown'] as const
const OVERALL = ['eligible', 'ineligible', 'undetermined'] as const
export const overallSchema = oneOfStrings(OVERALL)

const missingData = named(
  'MissingData',
  obj({ key: str('stable key, e.g. dates.randomization'), description: str('what to enter'), review: bool('an item to review, not data to enter') }, [
    'review',
  ]),
)

/** What decides a criterion's outcome: the brief verdict's criterion, and the start of the full one. */
const outcomeFields = {
  id: str(),
  kind: oneOfStrings(['inclusion', 'exclusion']),
  truth: oneOfStrings(TRUTH),
  applicable: oneOfStrings(TRUTH),
  outcome: oneOfStrings(['pass', 'fail', 'unknown']),
}

const criterionResult = named(
  'CriterionResult',
  obj(
    {
      ...outcomeFields,
      title: str(),
      text: str(),
      reason: str(),
      explanation: anyObject('how each clause came out: { path, kind, truth, label, detail?, missing?, children? }'),
      applicability: anyObject(),
      missing: arrayOf(missingData),
    },
    ['title', 'applicability'],
  ),
)

/** One criterion's outcome without its explanation. */
const criterionOutcome = named('CriterionOutcome', obj(outcomeFields))

/** A verdict whose criteria are `criterion`: the full one (CriterionResult) or the brief one (CriterionOutcome). */
const verdictOf = (criterion: JsonSchema) =>
  obj(
    {
      protocol: obj({ registry_id: str(), version: str() }),
      patient_id: str(),
      overall: overallSchema,
      failing: arrayOf(str(), 'criteria that make the patient ineligible'),
      undecided: arrayOf(str(), 'criteria still undecided'),
      missing: arrayOf(missingData, 'data still needed'),
      criteria: arrayOf(criterion),
      warnings: arrayOf(str()),
    },
    ['patient_id'],
  )

/** The engine's verdict on one patient. */
export const verdictSchema = named('Verdict', verdictOf(criterionResult))

/** What an evaluation adds to its verdict: its screening-log id (null for a preview) and the version used. */
const evaluated = obj({ evaluation_id: nullable(int()), version: int() })

/** A verdict as answered by an evaluation. */
export const evaluationSchema = named('Evaluation', merged(evaluated, verdictSchema))

/** `?explain=false`: the brief verdict, without explanations (BriefVerdict). */
export const explainQuery = {
  schema: { type: 'string', enum: ['true', 'false'] },
  description:
    "false: the brief verdict, each criterion's outcome without its explanation and reason (the data still needed and the warnings stay); default true",
}

/** An evaluation answered with `explain=false`. */
export const briefEvaluationSchema = named('BriefEvaluation', merged(evaluated, verdictOf(criterionOutcome)))

/** A subject's screening: an evaluation filed under the subject. */
export const subjectScreeningSchema = named('SubjectScreening', merged(obj({ evaluation_id: int(), version: int(), subject_id: str() }), verdictSchema))

/** A stored protocol version without its text. */
export const versionSummarySchema = named(
  'ProtocolVersionSummary',
  obj({ protocol_id: str(), version: int(), content_hash: str(), author: str(), created_at: str(), change_note: str() }),
)

export const protocolStatusSchema = oneOfStrings(['draft', 'active', 'retired'])

/** One change of a protocol's status. */
export const statusChangeSchema = named(
  'ProtocolStatusChange',
  obj({
    id: int(),
    protocol_id: str(),
    from_status: nullable(protocolStatusSchema),
    to_status: protocolStatusSchema,
    reason: nullable(str()),
    actor: str(),
    actor_token_id: nullable(str()),
    actor_role: nullable(str()),
    at: str(),
  }),
)

export const transitionSchema = obj({
  status: protocolStatusSchema,
  by: oneOfStrings(['edit_protocols', 'admin'], 'the permission the change needs'),
  reason_required: bool(),
})

/** A subject as stored: status, arm (null while blinded or not randomized) and record. */
export const subjectViewSchema = named(
  'Subject',
  obj({
    id: str(),
    protocol_id: str(),
    code: str('pseudonymous code'),
    status: oneOfStrings(['screened', 'randomized', 'withdrawn']),
    arm: nullable(str()),
    record_version: int(),
    created_at: str(),
    updated_at: str(),
    record: engineSchema('subject'),
  }),
)

/** A blinding decision (routes/blinding.ts). */
export const blindingSchema = named('Blinding', obj({ blinded: bool(), masking: str(), reason: str() }))

/** Planned visits with their windows (engine/schedule). */
export const plannedVisitsSchema = arrayOf(anyObject('a planned visit: { visit, label, date, window_start, window_end, ... }'))

/** Baseline visit id -> date of the data serving as its baseline. */
export const baselineFromDataSchema = mapOf(str())

/** One record's result in a batch or a streamed screening: its verdict in brief, or why it was not evaluated. */
export const batchResultSchema = named(
  'BatchResult',
  obj(
    {
      index: int('position in the batch, from 0'),
      line: int('NDJSON: the 1-based line'),
      id: str(),
      overall: overallSchema,
      failing: arrayOf(str()),
      undecided: arrayOf(str()),
      missing: arrayOf(missingData),
      errors: arrayOf(diagnostic, 'why the record was not evaluated'),
    },
    ['line', 'id', 'overall', 'failing', 'undecided', 'missing', 'errors'],
  ),
)
