/**
 * The what-if entry: the numbers of a protocol a designer may move, the
 * protocol with criteria switched off and numbers moved, and its effect on
 * the screened patients.
 */
export {
  applyWhatIf,
  WHAT_IF_MAX_RECORDS,
  whatIfKnobs,
  WhatIfError,
  type CriterionKnobs,
  type DocPath,
  type WhatIfEdits,
  type WhatIfKnob,
  type WhatIfKnobs,
} from './what-if.ts'
export { whatIfImpact } from './what-if-impact.ts'
export { applyWhatIfToYaml } from './what-if-yaml.ts'
