/** Study-level statistics: response-rate intervals, differences between arms, Kaplan–Meier curves. */
export { clopperPearson, wilsonInterval } from './binomial-ci.ts'
export type { BinomialInterval, NoProportion, ProportionInterval } from './binomial-ci.ts'
export { differenceInProportions } from './difference-ci.ts'
export type { BinomialCount, DifferenceInterval, DifferenceResult, NoDifference } from './difference-ci.ts'
export { kaplanMeier, kaplanMeierIncidence } from './kaplan-meier.ts'
export type {
  IncidenceResult,
  IncidenceStep,
  KaplanMeierResult,
  KaplanMeierStep,
  SurvivalObservation,
} from './kaplan-meier.ts'
