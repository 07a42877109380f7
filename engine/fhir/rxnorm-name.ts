/**
 * Reading a drug product's name the way RxNorm writes it: ingredients with
 * their strengths, the dose form, the brand in brackets, a pack's parts.
 *
 * RxNorm names clinical drugs as `[quantity] ingredient strength [/ ingredient
 * strength …] dose form [brand]` (RxNorm Technical Documentation, "Normalized
 * names"): `10 ML rituximab 10 MG/ML Injection [Rituxan]`,
 * `Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet`,
 * `{21 (Ethinyl Estradiol 0.03 MG / Levonorgestrel 0.15 MG Oral Tablet) / 7 (Inert Ingredients 1 MG Oral Tablet) } Pack [Seasonique]`.
 * Free text in the same shape ("prednisone 5 mg tablet") reads the same way.
 */

export interface ParsedDrugName {
  /** Ingredient names as written, in order, without duplicates. */
  ingredients: string[]
  /** The dose form, e.g. `Oral Tablet`, `Ophthalmic Emulsion`, when one was found. */
  doseForm?: string
  /** The brand in brackets, e.g. `Rituxan`. */
  brand?: string
}

/** A quantity factor before the ingredients (`10 ML`, `24 HR`, `120 ACTUAT`), an NDA prefix (`NDA020503`) and `Abuse-Deterrent`. */
const LEADING = /^(?:NDA\d+\s+|Abuse-Deterrent\s+|\d+(?:\.\d+)?\s+(?:HR|ML|ACTUAT|DAY|MG|UNT|MCG|L|G|CM2|SQCM|DOSE|EACH)\s+)+/i
/** A strength: a number and a unit (`5 MG`, `0.5 MG/ML`, `70 UNT/ML`, `0.1 %`). */
const STRENGTH = /\s+(\d[\d.,]*)\s*(%|[A-Za-z]+(?:\/[A-Za-z0-9.]+)?)(?=\s|$)/
/** Words of dose forms, to tell a dose form from an ingredient name when no strength separates them (`rituximab Injection`). */
const DOSE_FORM_WORDS = new Set(
  [
    'oral',
    'tablet',
    'tablets',
    'capsule',
    'capsules',
    'solution',
    'suspension',
    'injection',
    'injectable',
    'product',
    'topical',
    'cream',
    'ointment',
    'lotion',
    'gel',
    'ophthalmic',
    'emulsion',
    'otic',
    'nasal',
    'spray',
    'inhalation',
    'inhaler',
    'powder',
    'metered',
    'dose',
    'dry',
    'extended',
    'delayed',
    'release',
    'chewable',
    'disintegrating',
    'sublingual',
    'buccal',
    'transdermal',
    'system',
    'patch',
    'vaginal',
    'rectal',
    'suppository',
    'enema',
    'prefilled',
    'syringe',
    'auto-injector',
    'pen',
    'injector',
    'cartridge',
    'film',
    'coated',
    'pack',
    'kit',
    'foam',
    'shampoo',
    'drops',
    'elixir',
    'syrup',
    'lozenge',
    'granules',
    'pellet',
    'implant',
    'intrauterine',
    'device',
    'mucosal',
    'cutaneous',
    'medicated',
    'pad',
    'strip',
    'liquid',
    'tab',
    'tabs',
    'cap',
    'caps',
    'infusion',
    'vial',
    'modified',
  ].map(w => w.toLowerCase()),
)

/**
 * Reads a product name into ingredients, dose form and brand.
 *
 * @example parseDrugName('10 ML rituximab 10 MG/ML Injection [Rituxan]')
 * // { ingredients: ['rituximab'], doseForm: 'Injection', brand: 'Rituxan' }
 * @example parseDrugName('Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet').ingredients
 * // ['Acetaminophen', 'Oxycodone Hydrochloride']
 */
export function parseDrugName(text: string): ParsedDrugName {
  let rest = text.trim().replace(/\s+/g, ' ')
  let brand: string | undefined
  const bracket = /\s*\[([^\]]+)\]\s*$/.exec(rest)
  if (bracket) {
    brand = bracket[1]!.trim()
    rest = rest.slice(0, bracket.index).trim()
  }
  if (rest.startsWith('{')) return { ...parsePack(rest), ...(brand ? { brand } : {}) }
  const parsed = parseComponents(rest)
  return { ...parsed, ...(brand ? { brand } : {}) }
}

/** `{21 (A 1 MG Oral Tablet) / 7 (B 2 MG Oral Tablet) } Pack`: every part's ingredients. */
function parsePack(text: string): ParsedDrugName {
  const ingredients: string[] = []
  let doseForm: string | undefined
  for (const m of text.matchAll(/\(([^()]+)\)/g)) {
    const part = parseComponents(m[1]!.trim())
    for (const i of part.ingredients) if (!ingredients.includes(i)) ingredients.push(i)
    doseForm ??= part.doseForm
  }
  return { ingredients, ...(doseForm ? { doseForm } : {}) }
}

function parseComponents(text: string): ParsedDrugName {
  const body = text.replace(LEADING, '')
  const parts = body.split(/\s+\/\s+/)
  const ingredients: string[] = []
  let doseForm: string | undefined
  parts.forEach((part, i) => {
    const strength = STRENGTH.exec(part)
    let name: string
    let after: string
    if (strength) {
      name = part.slice(0, strength.index)
      after = part.slice(strength.index + strength[0].length).trim()
    } else {
      ;({ name, after } = splitTrailingDoseForm(part))
    }
    name = name.trim()
    if (name && !ingredients.includes(name)) ingredients.push(name)
    if (i === parts.length - 1 && after) doseForm = after
  })
  return { ingredients, ...(doseForm ? { doseForm } : {}) }
}

/** `rituximab Injection` → name `rituximab`, dose form `Injection`: trailing dose-form words are the form. */
function splitTrailingDoseForm(part: string): { name: string; after: string } {
  const words = part.split(' ')
  let cut = words.length
  while (cut > 1 && DOSE_FORM_WORDS.has(words[cut - 1]!.toLowerCase().replace(/[,.;]$/, ''))) cut--
  return { name: words.slice(0, cut).join(' '), after: words.slice(cut).join(' ') }
}

/**
 * Salt and ester words that RxNorm keeps in a precise ingredient name
 * (`Oxycodone Hydrochloride`, `Metformin hydrochloride`) but that do not
 * change which drug it is for exposure criteria. Mycophenolate mofetil and
 * mycophenolic acid are separate dictionary entries, matched before salts are removed.
 */
const SALT_WORDS = new Set(
  [
    'hydrochloride',
    'hcl',
    'sodium',
    'potassium',
    'calcium',
    'magnesium',
    'sulfate',
    'sulphate',
    'phosphate',
    'acetate',
    'maleate',
    'fumarate',
    'succinate',
    'tartrate',
    'bitartrate',
    'citrate',
    'besylate',
    'mesylate',
    'bromide',
    'chloride',
    'hyclate',
    'monohydrate',
    'dihydrate',
    'trihydrate',
    'anhydrous',
    'disodium',
    'dipropionate',
    'propionate',
    'furoate',
    'xinafoate',
    'hemifumarate',
    'tromethamine',
    'valerate',
    'butyrate',
    'hydrobromide',
    'lactate',
    'gluconate',
    'medoxomil',
    'monosodium',
    'dimesylate',
    'hemihydrate',
  ].map(w => w.toLowerCase()),
)

/**
 * Spellings of one ingredient name to look up, most precise first: as
 * written; without a biosimilar's four-letter suffix (`rituximab-abbs`, FDA
 * nonproprietary naming guidance 2017); without a qualifier after a comma
 * (`cycloSPORINE, modified`, `insulin isophane, human`); without salt words.
 *
 * @example ingredientSpellings('rituximab-abbs') // ['rituximab-abbs', 'rituximab']
 */
export function ingredientSpellings(name: string): string[] {
  const out = [name]
  const add = (s: string) => {
    const t = s.trim()
    if (t && !out.includes(t)) out.push(t)
  }
  for (const s of [...out]) add(s.replace(/-[a-z]{4}$/i, ''))
  for (const s of [...out]) add(s.replace(/,.*$/, ''))
  for (const s of [...out]) {
    const words = s.split(/\s+/)
    const kept = words.filter(w => !SALT_WORDS.has(w.toLowerCase()))
    if (kept.length > 0 && kept.length < words.length) add(kept.join(' '))
  }
  return out
}
