/**
 * Values every other shape uses: calendar dates and references to a
 * protocol's parameters.
 */

/** An ISO 8601 calendar date, `YYYY-MM-DD`. Never a timestamp. */
export type IsoDate = string

export type ParameterValue = number | string | boolean

/** Use a protocol parameter where a literal would go. */
export interface ParamRef {
  param: string
}

export type NumberOrParam = number | ParamRef
export type StringOrParam = string | ParamRef
