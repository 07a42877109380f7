/**
 * The input checks every creatinine eGFR equation shares: an adult age, a
 * positive creatinine, a sex the equation has coefficients for, and (for the
 * equations with a race coefficient) whether the patient is Black.
 */

export interface CreatinineEquationInput {
  creatinineMgDl: number
  ageYears: number
  sex: 'female' | 'male'
  black?: boolean
}

/**
 * Throw a RangeError naming the equation when an input is out of its range.
 * Every input is required and a bad one is a caller bug, so this throws
 * rather than answering `undefined`.
 *
 * @example assertCreatinineEquationInput('CKD-EPI 2021', { creatinineMgDl: 1.2, ageYears: 17, sex: 'male' }, 18) // throws: is for adults (age >= 18)
 */
export function assertCreatinineEquationInput(equation: string, input: CreatinineEquationInput, minAgeYears: number, needsRace = false): void {
  const { creatinineMgDl, ageYears, sex, black } = input
  if (!Number.isFinite(ageYears) || ageYears < minAgeYears) throw new RangeError(`${equation} is for adults (age >= ${minAgeYears}); got age ${ageYears}`)
  if (!Number.isFinite(creatinineMgDl) || creatinineMgDl <= 0) throw new RangeError(`creatinine must be a positive number of mg/dL; got ${creatinineMgDl}`)
  if (sex !== 'female' && sex !== 'male') throw new RangeError(`sex must be 'female' or 'male'; got ${String(sex)}`)
  if (needsRace && typeof black !== 'boolean') throw new RangeError(`black must be true or false; got ${String(black)}`)
}
