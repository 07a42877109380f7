/** Public types of the FHIR corpus generator. */

export type CorpusProfile = 'synthea' | 'us-core-6.1' | 'us-core-8.0' | 'us-core-9.0'

export const CORPUS_PROFILES: readonly CorpusProfile[] = ['synthea', 'us-core-6.1', 'us-core-8.0', 'us-core-9.0']

/** Findings `generateBundle` can be told to write (see README in index.ts). */
export type IncludeItem =
  | 'rituximab_recent'
  | 'ciclosporin_modified'
  | 'colon_malignancy'
  | 'prostate_metastasis'
  | 'topical_ciclosporin'
  | 'tacrolimus_ointment'
  | 'old_pregnancy_status'
  | 'contained_medication'
  | 'sex_extension_only'
  | 'multi_ingredient'
  | 'ambiguous_mpa'
  | 'sirolimus'
  | 'alemtuzumab'
  | 'biosimilar_rituximab'
  | 'creatinine_38483'
  | 'egfr_mdrd_ml_min'

export const INCLUDE_ITEMS: readonly IncludeItem[] = [
  'rituximab_recent',
  'ciclosporin_modified',
  'colon_malignancy',
  'prostate_metastasis',
  'topical_ciclosporin',
  'tacrolimus_ointment',
  'old_pregnancy_status',
  'contained_medication',
  'sex_extension_only',
  'multi_ingredient',
  'ambiguous_mpa',
  'sirolimus',
  'alemtuzumab',
  'biosimilar_rituximab',
  'creatinine_38483',
  'egfr_mdrd_ml_min',
]

export interface TruthItem {
  /** Path of the resource in the bundle, as the importer reports it: `entry[12].resource`. */
  path: string
  kind: 'medication' | 'condition' | 'procedure' | 'vaccination' | 'lab' | 'pregnancy_status' | 'sex' | 'birth_date'
  /**
   * What it is, as an id of the engine's dictionaries (drug, condition, procedure, vaccine or lab-concept id;
   * `pregnancy_status` for the coded observation; `female` / `male` for sex), or null when the dictionary has no
   * such id (an everyday item no LN criterion selects, e.g. hydrochlorothiazide) or the item names several
   * ingredients (see `ingredients`) or cannot be told apart (text "MPA 500 mg").
   */
  concept: string | null
  /** Every ingredient's dictionary id (or null) for multi-ingredient products, in RxNorm name order. */
  ingredients?: Array<string | null>
  /** The real code written, `system|code` ('' when only text is written: a text-only medication, a birth date), and its display (or the text). */
  code: string
  display: string
  /** ISO dates the item carries: start/onset/performed/given/effective (the calendar day written). */
  date?: string
  /** End / abatement / stop date, when the resource carries one. */
  end?: string
  /** Systemic exposure? false for topical, ophthalmic, otic, nasal or inhaled products. */
  systemic?: boolean
  /** Labs: the value and UCUM unit code written. */
  value?: number
  unit?: string
  /** Coded answers (pregnancy status): the answer written, `system|code`. */
  answer?: string
  /**
   * The item is of a kind an LN exclusion looks at: systemic immunosuppressant, B-cell depleting agent, biologic,
   * malignancy, infection, surgery, apheresis, live vaccine, pregnancy (dates decide whether it falls in a
   * criterion's window). Topical / ophthalmic immunosuppressants are not (they are `systemic: false`).
   */
  exclusionRelevant: boolean
}

export interface GeneratedBundle {
  id: string
  profile: CorpusProfile
  bundle: Record<string, unknown>
  truth: TruthItem[]
  screeningDate: string
}

export interface GenerateOptions {
  /** Reference date every finding is placed relative to (default 2026-11-16). */
  screeningDate?: string
  /** Pad with realistic encounters (vital signs, panels, claims) to about this many bytes of JSON. */
  targetBytes?: number
  /**
   * Findings to write (with their truth), dated relative to `screeningDate`. When given, the random
   * exclusion-relevant findings are left out, so the bundle holds the named findings on an everyday background.
   */
  include?: IncludeItem[]
}
