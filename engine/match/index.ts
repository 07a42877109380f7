/** One patient against many protocols: a row per protocol, ranked. */
export { matchPatient, matchRow, rankMatchRows, compareMatchRows, type MatchRow, type MatchCriterion, type MatchTarget } from './match-patient.ts'
