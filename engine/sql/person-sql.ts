/**
 * What SQL reads of the `person` row, as the engine reads the record: sex,
 * whether the patient is Black, the birth date, completed years on a date
 * and birthdays (29 February in common years) as dates.ts computes them.
 */
import { LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS } from '../calculators/dates.ts'
import type { Dialect } from './dialect.ts'
import { BLACK_RACE_CONCEPT, GENDER_CONCEPT } from './omop.ts'

/** The record's `sex` from `gender_concept_id`: 'female', 'male', or NULL (not recorded). */
export const SEX = `(CASE gender_concept_id WHEN ${GENDER_CONCEPT.female} THEN 'female' WHEN ${GENDER_CONCEPT.male} THEN 'male' END)`

/** The record's `black_race` from `race_concept_id` (of the row `alias.`): race 0 is "No matching concept", not recorded. */
export const blackRace = (alias = '') =>
  `(CASE WHEN ${alias}race_concept_id = ${BLACK_RACE_CONCEPT} THEN TRUE WHEN ${alias}race_concept_id = 0 THEN NULL ELSE FALSE END)`

/** A date column holding a person's birth date: unknown unless year, month and day are all recorded. */
export const BIRTH_DATE = '(CASE WHEN month_of_birth IS NOT NULL AND day_of_birth IS NOT NULL THEN make_date(year_of_birth, month_of_birth, day_of_birth) END)'

/** `birth`'s birthday in year `year` (dates.ts birthdayIn: a 29 February birthday falls on LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS in common years). */
export function birthdayIn(d: Dialect, birth: string, year: string): string {
  const leap = `((${year}) % 4 = 0 AND ((${year}) % 100 <> 0 OR (${year}) % 400 = 0))`
  const { month, day } = LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS
  return `(CASE WHEN ${d.part('month', birth)} = 2 AND ${d.part('day', birth)} = 29 AND NOT ${leap} THEN make_date(${year}, ${month}, ${day}) ELSE make_date(${year}, ${d.part('month', birth)}, ${d.part('day', birth)}) END)`
}

/** Completed years on date `on` (dates.ts ageOn): unknown without either date, or with `on` before the birth. */
export function completedYears(d: Dialect, birth: string, on: string): string {
  return `(CASE WHEN ${on} >= ${birth} THEN ${d.part('year', on)} - ${d.part('year', birth)} - (CASE WHEN ${birthdayIn(d, birth, d.part('year', on))} > ${on} THEN 1 ELSE 0 END) END)`
}
