/**
 * The one home of UCUM units in human form (issue 17: "g/24 h", not
 * "g/(24.h)" on one screen and "g/(24 h)" on the next): the engine's
 * descriptions, the CLI and the web UI all write units through
 * {@link humanUnit}.
 *
 * This module imports nothing and keeps no state but a cache of the units it
 * has written, so the browser bundle may import it directly
 * (test/web/boundaries.test.ts allows it by name): the web has no other way to
 * share the engine's wording without bundling the engine.
 */

/** Codes no rule below writes as people do (UCUM: https://ucum.org/ucum; `{…}` annotations, `[…]` customary units). */
const WORDS: Readonly<Record<string, string>> = {
  Cel: '°C',
  '[degF]': '°F',
  '[lb_av]': 'lb',
  '{score}': 'points',
  '{titer}': 'titre',
  '/min': 'per min',
  '/[HPF]': 'per HPF',
  'mL/min/{1.73_m2}': 'mL/min/1.73 m²',
  'mL/min/1.73.m2': 'mL/min/1.73 m²',
}

/**
 * A UCUM unit code as a clinician writes it. Rules, in order: a listed code
 * (`Cel` -> °C); a parenthesised period `(24.h)` -> `24 h`; `/d` -> `/day`;
 * the micro prefix `u` -> `µ`; annotations `{cells}` -> `cells`; brackets
 * `[IU]` -> `IU`, `mm[Hg]` -> `mmHg`; powers `10*6` -> `10^6`. A code no
 * rule touches (`mg/dL`, `g/g`, `U/L`) reads as written.
 *
 * @example humanUnit('g/(24.h)') // 'g/24 h'
 * @example humanUnit('10*6.[IU]') // '10^6 IU'
 */
export function humanUnit(ucum: string): string {
  const listed = WORDS[ucum] ?? written.get(ucum)
  if (listed !== undefined) return listed
  const human = rewrite(ucum)
  // every measurement's entry is written with its unit: a record has a few units, many times over
  if (written.size >= WRITTEN_LIMIT) written.clear()
  written.set(ucum, human)
  return human
}

/** Units written so far, at most {@link WRITTEN_LIMIT} (a record can bring any text as a unit). */
const written = new Map<string, string>()
const WRITTEN_LIMIT = 512

function rewrite(ucum: string): string {
  return ucum
    .replace(/\((\d+)\.([a-zA-Z]+)\)/g, '$1 $2')
    .replace(/(\d)\.([a-zA-Z])/g, '$1 $2')
    .replace(/\/d$/, '/day')
    .replace(/(^|[/.])u(g|L|mol|IU)\b/g, '$1µ$2')
    .replace(/\{([^}]*)\}/g, (_, a: string) => a.replace(/_/g, ' '))
    .replace(/\[([^\]]*)\]/g, '$1')
    .replace(/10\*(-?\d+)\./g, '10^$1 ')
    .replace(/10\*(-?\d+)/g, '10^$1')
}
