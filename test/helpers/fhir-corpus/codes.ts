/**
 * Real code tables for the corpus: RxNorm products, SNOMED CT conditions and
 * procedures, LOINC observations with their UCUM units, CVX vaccines. Codes
 * and displays are written here from the sources named above each table
 * (never copied from Synthea output files); "(verify)" marks a code whose
 * display was not seen next to it in a public source during writing.
 *
 * `concept` is what the item clinically IS, as an id of the engine's
 * dictionaries (engine/dictionary/*.json): `known('sirolimus')` is
 * 'sirolimus' once the dictionary has that id, null until then.
 */
import drugs from '../../../engine/dictionary/drugs.json' with { type: 'json' }
import conditions from '../../../engine/dictionary/conditions.json' with { type: 'json' }
import procedures from '../../../engine/dictionary/procedures.json' with { type: 'json' }
import vaccines from '../../../engine/dictionary/vaccines.json' with { type: 'json' }
import labConcepts from '../../../engine/dictionary/lab-concepts.json' with { type: 'json' }
import codedObservations from '../../../engine/dictionary/coded-observations.json' with { type: 'json' }

export const SYS = {
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  ucum: 'http://unitsofmeasure.org',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  ndc: 'http://hl7.org/fhir/sid/ndc',
} as const

const IDS = {
  drugs: new Set(drugs.map(e => e.id)),
  conditions: new Set(conditions.map(e => e.id)),
  procedures: new Set(procedures.map(e => e.id)),
  vaccines: new Set(vaccines.map(e => e.id)),
  labs: new Set([...labConcepts.map(e => e.id), ...codedObservations.observations.map(e => e.id)]),
}
type Domain = keyof typeof IDS

/** The id when the engine's dictionary of that domain has it, else null (the item is still what the id says). */
export function known(domain: Domain, id: string): string | null {
  return IDS[domain].has(id) ? id : null
}

// ---------------------------------------------------------------------------
// RxNorm products
// ---------------------------------------------------------------------------

export type Route = 'oral' | 'iv' | 'sc' | 'im' | 'topical' | 'ophthalmic' | 'inhaled' | 'nasal' | 'vaginal'

export interface MedCode {
  /** RxNorm RXCUI; '' for a product written as text only. */
  code: string
  display: string
  /** What the product is (single ingredient), or null. */
  concept: string | null
  /** Every ingredient, in RxNorm name order, for multi-ingredient products. */
  ingredients?: Array<string | null>
  route: Route
  /** An exclusion kind the product belongs to, when systemic. */
  exclusion?: 'b_cell_depleting' | 'immunosuppressant' | 'biologic'
  /** Dose per administration and its UCUM unit (what US Core exports write). */
  dose?: { value: number; unit: string }
  /** Administrations per day (1 daily, 2 twice daily, 1/7 weekly); absent = as needed or once. */
  perDay?: number
  /** Brand or label text some systems write in CodeableConcept.text. */
  text?: string
  sex?: 'female' | 'male'
}

export const SYSTEMIC_ROUTES: ReadonlySet<Route> = new Set(['oral', 'iv', 'sc', 'im'])

/**
 * Everyday products (no LN criterion selects most of them).
 * Sources: Synthea modules (github.com/synthetichealth/synthea src/main/resources/modules: lupus.json 849574 naproxen, 312615 prednisone 20 mg;
 * hypertension/metabolic/asthma/sinusitis/contraceptives/dermatitis modules for the others, as remembered, (verify));
 * 312617 predniSONE 5 MG and 259966 methylPREDNISolone 4 MG from a public transplant-medication table (verify).
 */
export const EVERYDAY_MEDS: readonly MedCode[] = [
  { code: '314076', display: 'lisinopril 10 MG Oral Tablet', concept: known('drugs', 'lisinopril'), route: 'oral', dose: { value: 10, unit: 'mg' }, perDay: 1 },
  { code: '310798', display: 'Hydrochlorothiazide 25 MG Oral Tablet', concept: null, route: 'oral', dose: { value: 25, unit: 'mg' }, perDay: 1 },
  { code: '197361', display: 'amLODIPine 5 MG Oral Tablet', concept: null, route: 'oral', dose: { value: 5, unit: 'mg' }, perDay: 1 }, // (verify)
  {
    code: '860975',
    display: '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet',
    concept: known('drugs', 'metformin'),
    route: 'oral',
    dose: { value: 500, unit: 'mg' },
    perDay: 1,
  },
  { code: '313782', display: 'Acetaminophen 325 MG Oral Tablet', concept: known('drugs', 'paracetamol'), route: 'oral', dose: { value: 650, unit: 'mg' } },
  { code: '849574', display: 'Naproxen sodium 220 MG Oral Tablet', concept: null, route: 'oral', dose: { value: 220, unit: 'mg' } },
  { code: '310965', display: 'Ibuprofen 200 MG Oral Tablet', concept: null, route: 'oral', dose: { value: 400, unit: 'mg' } },
  { code: '308182', display: 'Amoxicillin 250 MG Oral Capsule', concept: null, route: 'oral', dose: { value: 500, unit: 'mg' }, perDay: 3 },
  { code: '834061', display: 'Penicillin V Potassium 250 MG Oral Tablet', concept: null, route: 'oral', dose: { value: 250, unit: 'mg' }, perDay: 4 },
  { code: '1014676', display: 'cetirizine hydrochloride 5 MG Oral Tablet', concept: null, route: 'oral', dose: { value: 5, unit: 'mg' }, perDay: 1 },
  {
    code: '259255',
    display: 'Atorvastatin 80 MG Oral Tablet',
    concept: known('drugs', 'atorvastatin'),
    route: 'oral',
    dose: { value: 80, unit: 'mg' },
    perDay: 1,
  },
  { code: '314231', display: 'Simvastatin 10 MG Oral Tablet', concept: null, route: 'oral', dose: { value: 10, unit: 'mg' }, perDay: 1 },
  { code: '243670', display: 'aspirin 81 MG Oral Tablet', concept: null, route: 'oral', dose: { value: 81, unit: 'mg' }, perDay: 1 },
  { code: '312615', display: 'predniSONE 20 MG Oral Tablet', concept: known('drugs', 'prednisone'), route: 'oral', dose: { value: 20, unit: 'mg' }, perDay: 1 },
  { code: '312617', display: 'predniSONE 5 MG Oral Tablet', concept: known('drugs', 'prednisone'), route: 'oral', dose: { value: 5, unit: 'mg' }, perDay: 1 },
  {
    code: '259966',
    display: 'methylPREDNISolone 4 MG Oral Tablet',
    concept: known('drugs', 'methylprednisolone'),
    route: 'oral',
    dose: { value: 4, unit: 'mg' },
    perDay: 1,
  },
  { code: '749762', display: 'Seasonique 91 Day Pack', concept: null, route: 'oral', perDay: 1, sex: 'female' },
  {
    code: '1000126',
    display: '1 ML medroxyPROGESTERone acetate 150 MG/ML Injection',
    concept: null,
    route: 'im',
    dose: { value: 150, unit: 'mg' },
    sex: 'female',
  },
  { code: '205923', display: '1 ML Epoetin Alfa 4000 UNT/ML Injection [Epogen]', concept: null, route: 'sc' },
  { code: '1870230', display: 'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector', concept: null, route: 'im' }, // (verify)
  // not systemic: inhaled and topical (Synthea asthma and dermatitis modules)
  { code: '895994', display: '120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler', concept: null, route: 'inhaled', perDay: 2 },
  { code: '2123111', display: 'NDA020503 200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', concept: null, route: 'inhaled' }, // (verify)
  { code: '106258', display: 'Hydrocortisone 10 MG/ML Topical Cream', concept: known('drugs', 'hydrocortisone'), route: 'topical', perDay: 2 },
]

/** Products for LN patients. hydroxychloroquine 979092 (verify). */
export const LUPUS_MEDS: readonly MedCode[] = [
  {
    code: '979092',
    display: 'hydroxychloroquine sulfate 200 MG Oral Tablet',
    concept: known('drugs', 'hydroxychloroquine'),
    route: 'oral',
    dose: { value: 200, unit: 'mg' },
    perDay: 2,
  }, // (verify)
  EVERYDAY_MEDS.find(m => m.code === '312615')!,
  EVERYDAY_MEDS.find(m => m.code === '849574')!,
]

/**
 * Multi-ingredient products; ingredients in RxNorm name order.
 * 1049221 and 562251: Synthea injuries / sinusitis modules; 197885 (verify).
 */
export const MULTI_INGREDIENT_MEDS: readonly MedCode[] = [
  {
    code: '1049221',
    display: 'Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet',
    concept: null,
    ingredients: [known('drugs', 'paracetamol'), null],
    route: 'oral',
  },
  { code: '562251', display: 'Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet', concept: null, ingredients: [null, null], route: 'oral', perDay: 2 },
  {
    code: '197885',
    display: 'Hydrochlorothiazide 12.5 MG / Lisinopril 10 MG Oral Tablet',
    concept: null,
    ingredients: [null, known('drugs', 'lisinopril')],
    route: 'oral',
    perDay: 1,
  }, // (verify)
]

/**
 * Exclusion-relevant systemic products.
 * rituximab 1657864/1657868, rituximab-abbs 2105831, rituximab-pvvr 2273511, rituximab-arrx 2472326: CIBMTR Reporting IG value set
 *   med-rituximab-vs (fhir.nmdp.org/ig/cibmtr-reporting);
 * alemtuzumab 1594663: public FHIR examples ("1.2 ML alemtuzumab 10 MG/ML Injection [Lemtrada]");
 * 241834 cycloSPORINE, modified 100 MG Oral Capsule: Synthea lupus.json;
 * 197553 cyclosporine 25 mg, 313190 tacrolimus 0.5 mg, 349208 sirolimus 1 mg, 199058 MMF 250 mg, 485020 mycophenolic acid 180 mg:
 *   a public transplant-medication table (verify); 197895 tacrolimus 1 mg: test/fixtures/fhir/medications.json (verify);
 * 197388 azathioprine, 105585 methotrexate, 1734919 cyclophosphamide (Synthea chemotherapy modules): (verify);
 * biologics at ingredient level: adalimumab 327361, etanercept 214555, belimumab 1092437 (verify).
 */
export const EXCLUSION_MEDS = {
  rituxan: {
    code: '1657864',
    display: '10 ML rituximab 10 MG/ML Injection [Rituxan]',
    concept: known('drugs', 'rituximab'),
    route: 'iv',
    exclusion: 'b_cell_depleting',
    dose: { value: 1000, unit: 'mg' },
  },
  rituxan50: {
    code: '1657868',
    display: '50 ML rituximab 10 MG/ML Injection [Rituxan]',
    concept: known('drugs', 'rituximab'),
    route: 'iv',
    exclusion: 'b_cell_depleting',
    dose: { value: 500, unit: 'mg' },
  },
  truxima: {
    code: '2105831',
    display: '10 ML rituximab-abbs 10 MG/ML Injection [Truxima]',
    concept: known('drugs', 'rituximab'),
    route: 'iv',
    exclusion: 'b_cell_depleting',
    dose: { value: 1000, unit: 'mg' },
  },
  ruxience: {
    code: '2273511',
    display: 'rituximab-pvvr 10 MG/ML',
    concept: known('drugs', 'rituximab'),
    route: 'iv',
    exclusion: 'b_cell_depleting',
    text: 'Ruxience 100 mg/10 mL IV solution',
    dose: { value: 1000, unit: 'mg' },
  },
  riabni: {
    code: '2472326',
    display: 'rituximab-arrx 10 MG/ML',
    concept: known('drugs', 'rituximab'),
    route: 'iv',
    exclusion: 'b_cell_depleting',
    text: 'Riabni 500 mg/50 mL IV solution',
    dose: { value: 1000, unit: 'mg' },
  },
  alemtuzumab: {
    code: '1594663',
    display: '1.2 ML alemtuzumab 10 MG/ML Injection [Lemtrada]',
    concept: known('drugs', 'alemtuzumab'),
    route: 'iv',
    exclusion: 'b_cell_depleting',
    dose: { value: 12, unit: 'mg' },
  },
  ciclosporinModified: {
    code: '241834',
    display: 'cycloSPORINE, modified 100 MG Oral Capsule',
    concept: known('drugs', 'ciclosporin'),
    route: 'oral',
    exclusion: 'immunosuppressant',
    dose: { value: 100, unit: 'mg' },
    perDay: 2,
  },
  ciclosporin25: {
    code: '197553',
    display: 'cycloSPORINE 25 MG Oral Capsule',
    concept: known('drugs', 'ciclosporin'),
    route: 'oral',
    exclusion: 'immunosuppressant',
    dose: { value: 75, unit: 'mg' },
    perDay: 2,
  },
  tacrolimus1: {
    code: '197895',
    display: 'tacrolimus 1 MG Oral Capsule',
    concept: known('drugs', 'tacrolimus'),
    route: 'oral',
    exclusion: 'immunosuppressant',
    dose: { value: 2, unit: 'mg' },
    perDay: 2,
  },
  tacrolimus05: {
    code: '313190',
    display: 'tacrolimus 0.5 MG Oral Capsule',
    concept: known('drugs', 'tacrolimus'),
    route: 'oral',
    exclusion: 'immunosuppressant',
    dose: { value: 1.5, unit: 'mg' },
    perDay: 2,
  },
  sirolimus: {
    code: '349208',
    display: 'sirolimus 1 MG Oral Tablet',
    concept: known('drugs', 'sirolimus'),
    route: 'oral',
    exclusion: 'immunosuppressant',
    dose: { value: 2, unit: 'mg' },
    perDay: 1,
  },
  mmf: {
    code: '199058',
    display: 'mycophenolate mofetil 250 MG Oral Capsule',
    concept: known('drugs', 'mycophenolate_mofetil'),
    route: 'oral',
    exclusion: 'immunosuppressant',
    dose: { value: 1000, unit: 'mg' },
    perDay: 2,
  },
  mpa: {
    code: '485020',
    display: 'mycophenolic acid 180 MG Delayed Release Oral Tablet',
    concept: known('drugs', 'mycophenolic_acid'),
    route: 'oral',
    exclusion: 'immunosuppressant',
    dose: { value: 720, unit: 'mg' },
    perDay: 2,
  },
  azathioprine: {
    code: '197388',
    display: 'azathioprine 50 MG Oral Tablet',
    concept: known('drugs', 'azathioprine'),
    route: 'oral',
    exclusion: 'immunosuppressant',
    dose: { value: 100, unit: 'mg' },
    perDay: 1,
  },
  methotrexate: {
    code: '105585',
    display: 'methotrexate 2.5 MG Oral Tablet',
    concept: known('drugs', 'methotrexate'),
    route: 'oral',
    exclusion: 'immunosuppressant',
    dose: { value: 15, unit: 'mg' },
    perDay: 1 / 7,
  },
  cyclophosphamide: {
    code: '1734919',
    display: 'cyclophosphamide 1000 MG Injection',
    concept: known('drugs', 'cyclophosphamide'),
    route: 'iv',
    exclusion: 'immunosuppressant',
    dose: { value: 500, unit: 'mg' },
  },
  adalimumab: {
    code: '327361',
    display: 'adalimumab',
    concept: known('drugs', 'adalimumab'),
    route: 'sc',
    exclusion: 'biologic',
    text: 'Humira 40 mg/0.4 mL pen',
    dose: { value: 40, unit: 'mg' },
  },
  etanercept: {
    code: '214555',
    display: 'etanercept',
    concept: known('drugs', 'etanercept'),
    route: 'sc',
    exclusion: 'biologic',
    text: 'Enbrel 50 mg/mL SureClick',
    dose: { value: 50, unit: 'mg' },
    perDay: 1 / 7,
  },
  belimumab: {
    code: '1092437',
    display: 'belimumab',
    concept: known('drugs', 'belimumab'),
    route: 'iv',
    exclusion: 'biologic',
    text: 'Benlysta 400 mg IV',
    dose: { value: 10, unit: 'mg/kg' },
  },
} as const satisfies Record<string, MedCode>

export const B_CELL_DEPLETING: readonly MedCode[] = [
  EXCLUSION_MEDS.rituxan,
  EXCLUSION_MEDS.rituxan50,
  EXCLUSION_MEDS.truxima,
  EXCLUSION_MEDS.ruxience,
  EXCLUSION_MEDS.riabni,
  EXCLUSION_MEDS.alemtuzumab,
]
export const BIOSIMILAR_RITUXIMAB: readonly MedCode[] = [EXCLUSION_MEDS.truxima, EXCLUSION_MEDS.ruxience, EXCLUSION_MEDS.riabni]
export const IMMUNOSUPPRESSANTS: readonly MedCode[] = [
  EXCLUSION_MEDS.ciclosporinModified,
  EXCLUSION_MEDS.ciclosporin25,
  EXCLUSION_MEDS.tacrolimus1,
  EXCLUSION_MEDS.tacrolimus05,
  EXCLUSION_MEDS.sirolimus,
  EXCLUSION_MEDS.mmf,
  EXCLUSION_MEDS.mpa,
  EXCLUSION_MEDS.azathioprine,
  EXCLUSION_MEDS.methotrexate,
  EXCLUSION_MEDS.cyclophosphamide,
]
export const BIOLOGICS: readonly MedCode[] = [EXCLUSION_MEDS.adalimumab, EXCLUSION_MEDS.etanercept, EXCLUSION_MEDS.belimumab]

/**
 * Topical and ophthalmic immunosuppressants (not systemic): 402092 "Restasis 0.05 % Ophthalmic Emulsion", 351291 generic,
 * 284520 Protopic 0.1 %, 314266 generic tacrolimus 0.1 % ointment: RxNorm codes and names listed in a public
 * calcineurin-inhibitor code list (Databricks notebook, "calcineurin_inhibitor_patch_codes"); 284520 display
 * "tacrolimus 0.001 MG/MG Topical Ointment [Protopic]" from a Da Vinci formulary example.
 */
export const TOPICAL_IMMUNOSUPPRESSANTS = {
  restasis: {
    code: '402092',
    display: 'Restasis 0.05 % Ophthalmic Emulsion',
    concept: known('drugs', 'ciclosporin'),
    route: 'ophthalmic',
    text: 'RESTASIS 0.05% EYE EMULSION',
    perDay: 2,
  },
  ciclosporinEyeDrops: {
    code: '351291',
    display: 'cycloSPORINE 0.5 MG/ML Ophthalmic Suspension',
    concept: known('drugs', 'ciclosporin'),
    route: 'ophthalmic',
    perDay: 2,
  },
  protopic: {
    code: '284520',
    display: 'tacrolimus 0.001 MG/MG Topical Ointment [Protopic]',
    concept: known('drugs', 'tacrolimus'),
    route: 'topical',
    text: 'Protopic 0.1 % Topical Ointment',
    perDay: 2,
  },
  tacrolimusOintment: {
    code: '314266',
    display: 'tacrolimus 0.001 MG/MG Topical Ointment',
    concept: known('drugs', 'tacrolimus'),
    route: 'topical',
    perDay: 2,
  },
} as const satisfies Record<string, MedCode>

// ---------------------------------------------------------------------------
// SNOMED CT conditions (with an ICD-10-CM code where US Core exports carry one)
// ---------------------------------------------------------------------------

export type ExclusionKind = 'malignancy' | 'infection' | 'surgery' | 'apheresis' | 'pregnancy'

export interface CondCode {
  code: string
  display: string
  concept: string | null
  exclusion?: ExclusionKind
  /** ICD-10-CM code and display, as US Core servers add (verify). */
  icd10?: { code: string; display: string }
  /** Synthea ends it (abatement) after days in this range; absent = chronic. */
  lasts?: [number, number]
  sex?: 'female' | 'male'
}

/**
 * Sources: Synthea modules lupus.json (200936003), hypertension, metabolic syndrome, sinusitis, bronchitis, pharyngitis,
 * social determinants (160903007, 73595000, 314529007 ...), colorectal_cancer.json (109838007, 363406005, 68496003),
 * prostate cancer (314994000 "Metastasis from malignant tumor of prostate (disorder)", seen in Synthea code lists and
 * Synthea's ICD-10 map C61 -> 314994000), covid19 (840539006); test/fixtures/fhir/complete.json (55464009, 68815009 (verify));
 * ICD-10-CM codes from the CMS ICD-10-CM tabular list (verify).
 */
export const CONDITIONS = {
  lupus: {
    code: '200936003',
    display: 'Lupus erythematosus (disorder)',
    concept: known('conditions', 'systemic_lupus_erythematosus'),
    icd10: { code: 'M32.9', display: 'Systemic lupus erythematosus, unspecified' },
  },
  sle: {
    code: '55464009',
    display: 'Systemic lupus erythematosus (disorder)',
    concept: known('conditions', 'systemic_lupus_erythematosus'),
    icd10: { code: 'M32.9', display: 'Systemic lupus erythematosus, unspecified' },
  },
  lupusNephritis: {
    code: '68815009',
    display: 'Lupus nephritis (disorder)',
    concept: known('conditions', 'lupus_nephritis'),
    icd10: { code: 'M32.14', display: 'Glomerular disease in systemic lupus erythematosus' },
  },
  hypertension: {
    code: '59621000',
    display: 'Essential hypertension (disorder)',
    concept: known('conditions', 'hypertension'),
    icd10: { code: 'I10', display: 'Essential (primary) hypertension' },
  },
  prediabetes: { code: '714628002', display: 'Prediabetes (finding)', concept: null, icd10: { code: 'R73.03', display: 'Prediabetes' } },
  diabetes2: {
    code: '44054006',
    display: 'Diabetes mellitus type 2 (disorder)',
    concept: known('conditions', 'type_2_diabetes'),
    icd10: { code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' },
  },
  hyperlipidemia: { code: '55822004', display: 'Hyperlipidemia (disorder)', concept: null, icd10: { code: 'E78.5', display: 'Hyperlipidemia, unspecified' } },
  anemia: { code: '271737000', display: 'Anemia (disorder)', concept: null, icd10: { code: 'D64.9', display: 'Anemia, unspecified' } },
  asthma: {
    code: '195967001',
    display: 'Asthma (disorder)',
    concept: known('conditions', 'asthma'),
    icd10: { code: 'J45.909', display: 'Unspecified asthma, uncomplicated' },
  },
  obesity: { code: '162864005', display: 'Body mass index 30+ - obesity (finding)', concept: null },
  chronicSinusitis: { code: '40055000', display: 'Chronic sinusitis (disorder)', concept: null },
  // everyday acute infections (Synthea sinusitis / pharyngitis / bronchitis modules)
  viralSinusitis: {
    code: '444814009',
    display: 'Viral sinusitis (disorder)',
    concept: null,
    exclusion: 'infection',
    lasts: [7, 21],
    icd10: { code: 'J01.90', display: 'Acute sinusitis, unspecified' },
  },
  viralPharyngitis: {
    code: '195662009',
    display: 'Acute viral pharyngitis (disorder)',
    concept: null,
    exclusion: 'infection',
    lasts: [5, 14],
    icd10: { code: 'J02.9', display: 'Acute pharyngitis, unspecified' },
  },
  bronchitis: {
    code: '10509002',
    display: 'Acute bronchitis (disorder)',
    concept: null,
    exclusion: 'infection',
    lasts: [7, 28],
    icd10: { code: 'J20.9', display: 'Acute bronchitis, unspecified' },
  },
  strepThroat: { code: '43878008', display: 'Streptococcal sore throat (disorder)', concept: null, exclusion: 'infection', lasts: [5, 14] },
  // exclusion-relevant infections
  covid: {
    code: '840539006',
    display: 'Disease caused by severe acute respiratory syndrome coronavirus 2 (disorder)',
    concept: known('conditions', 'covid19'),
    exclusion: 'infection',
    lasts: [10, 30],
    icd10: { code: 'U07.1', display: 'COVID-19' },
  },
  pneumonia: {
    code: '233604007',
    display: 'Pneumonia (disorder)',
    concept: known('conditions', 'pneumonia'),
    exclusion: 'infection',
    lasts: [14, 40],
    icd10: { code: 'J18.9', display: 'Pneumonia, unspecified organism' },
  },
  cystitis: {
    code: '38822007',
    display: 'Cystitis (disorder)',
    concept: known('conditions', 'urinary_tract_infection'),
    exclusion: 'infection',
    lasts: [5, 14],
    icd10: { code: 'N30.90', display: 'Cystitis, unspecified without hematuria' },
  },
  herpesZoster: {
    code: '4740000',
    display: 'Herpes zoster (disorder)',
    concept: known('conditions', 'herpes_zoster'),
    exclusion: 'infection',
    lasts: [14, 35],
    icd10: { code: 'B02.9', display: 'Zoster without complications' },
  }, // (verify)
  tuberculosis: {
    code: '56717001',
    display: 'Tuberculosis (disorder)',
    concept: known('conditions', 'tuberculosis'),
    exclusion: 'infection',
    icd10: { code: 'A15.0', display: 'Tuberculosis of lung' },
  }, // (verify)
  // malignancies
  colonCancer: {
    code: '363406005',
    display: 'Malignant tumor of colon',
    concept: known('conditions', 'colorectal_cancer'),
    exclusion: 'malignancy',
    icd10: { code: 'C18.9', display: 'Malignant neoplasm of colon, unspecified' },
  },
  colonOverlapping: {
    code: '109838007',
    display: 'Overlapping malignant neoplasm of colon',
    concept: known('conditions', 'colorectal_cancer'),
    exclusion: 'malignancy',
    icd10: { code: 'C18.8', display: 'Malignant neoplasm of overlapping sites of colon' },
  },
  prostateMetastasis: {
    code: '314994000',
    display: 'Metastasis from malignant tumor of prostate (disorder)',
    concept: known('conditions', 'prostate_cancer'),
    exclusion: 'malignancy',
    icd10: { code: 'C61', display: 'Malignant neoplasm of prostate' },
    sex: 'male',
  },
  breastCancer: {
    code: '254837009',
    display: 'Malignant neoplasm of breast (disorder)',
    concept: known('conditions', 'breast_cancer'),
    exclusion: 'malignancy',
    icd10: { code: 'C50.919', display: 'Malignant neoplasm of unspecified site of unspecified female breast' },
    sex: 'female',
  },
  lungCancer: {
    code: '254637007',
    display: 'Non-small cell lung cancer (disorder)',
    concept: known('conditions', 'lung_cancer'),
    exclusion: 'malignancy',
    icd10: { code: 'C34.90', display: 'Malignant neoplasm of unspecified part of unspecified bronchus or lung' },
  },
  // pregnancy (Synthea pregnancy module)
  pregnancy: {
    code: '72892002',
    display: 'Normal pregnancy (disorder)',
    concept: null,
    exclusion: 'pregnancy',
    lasts: [180, 270],
    icd10: { code: 'Z33.1', display: 'Pregnant state, incidental' },
    sex: 'female',
  },
  colonPolyp: { code: '68496003', display: 'Polyp of colon', concept: null },
} as const satisfies Record<string, CondCode>

/** Social-determinant findings Synthea records at wellness visits (Synthea social determinants modules). */
export const SDOH_FINDINGS: readonly CondCode[] = [
  { code: '160903007', display: 'Full-time employment (finding)', concept: null, lasts: [200, 900] },
  { code: '160904001', display: 'Part-time employment (finding)', concept: null, lasts: [200, 900] },
  { code: '73595000', display: 'Stress (finding)', concept: null, lasts: [100, 500] },
  { code: '314529007', display: 'Medication review due (situation)', concept: null, lasts: [100, 400] },
  { code: '422650009', display: 'Social isolation (finding)', concept: null, lasts: [200, 700] },
  { code: '423315002', display: 'Limited social contact (finding)', concept: null, lasts: [200, 700] },
  { code: '741062008', display: 'Not in labor force (finding)', concept: null, lasts: [300, 900] },
  { code: '224299000', display: 'Received higher education (finding)', concept: null },
  { code: '706893006', display: 'Victim of intimate partner abuse (finding)', concept: null, lasts: [100, 400] },
]

export const EXCLUSION_INFECTIONS: readonly CondCode[] = [
  CONDITIONS.covid,
  CONDITIONS.pneumonia,
  CONDITIONS.cystitis,
  CONDITIONS.herpesZoster,
  CONDITIONS.tuberculosis,
]
export const MALIGNANCIES: readonly CondCode[] = [
  CONDITIONS.colonCancer,
  CONDITIONS.colonOverlapping,
  CONDITIONS.prostateMetastasis,
  CONDITIONS.breastCancer,
  CONDITIONS.lungCancer,
]

// ---------------------------------------------------------------------------
// SNOMED CT procedures and encounter types
// ---------------------------------------------------------------------------

export interface ProcCode {
  code: string
  display: string
  concept: string | null
  exclusion?: ExclusionKind
}

/**
 * Sources: Synthea wellness encounters and social-determinant screening (430193006, 710824005, 171207006, 866148006,
 * 428211000124100 (verify)), colorectal_cancer.json (73761001 colonoscopy, 43075005 partial resection of colon),
 * appendicitis.json (80146002), gallstones (38102005); 127788007 plasmapheresis (verify), 90470006 prostatectomy (verify).
 */
export const ROUTINE_PROCEDURES: readonly ProcCode[] = [
  { code: '430193006', display: 'Medication reconciliation (procedure)', concept: null },
  { code: '710824005', display: 'Assessment of health and social care needs (procedure)', concept: null },
  { code: '171207006', display: 'Depression screening (procedure)', concept: null },
  { code: '866148006', display: 'Screening for domestic abuse (procedure)', concept: null },
  { code: '428211000124100', display: 'Assessment of substance use (procedure)', concept: null },
  { code: '710841007', display: 'Assessment of anxiety (procedure)', concept: null },
]
export const OTHER_PROCEDURES: readonly ProcCode[] = [
  { code: '73761001', display: 'Colonoscopy (procedure)', concept: null },
  { code: '117015009', display: 'Throat culture (procedure)', concept: null },
]
export const SURGERIES: readonly ProcCode[] = [
  { code: '80146002', display: 'Appendectomy (procedure)', concept: known('procedures', 'surgery'), exclusion: 'surgery' },
  { code: '38102005', display: 'Cholecystectomy (procedure)', concept: known('procedures', 'surgery'), exclusion: 'surgery' },
  { code: '43075005', display: 'Partial resection of colon (procedure)', concept: known('procedures', 'surgery'), exclusion: 'surgery' },
]
export const PLASMAPHERESIS: ProcCode = {
  code: '127788007',
  display: 'Plasmapheresis (procedure)',
  concept: known('procedures', 'plasmapheresis'),
  exclusion: 'apheresis',
} // (verify)

/** Encounter types (Synthea encounter modules). */
export const ENCOUNTER_TYPES = {
  wellness: { code: '162673000', display: 'General examination of patient (procedure)', class: 'AMB' },
  checkup: { code: '185349003', display: 'Encounter for check up (procedure)', class: 'AMB' },
  problem: { code: '185347001', display: 'Encounter for problem (procedure)', class: 'AMB' },
  symptom: { code: '185345009', display: 'Encounter for symptom (procedure)', class: 'AMB' },
  followUp: { code: '390906007', display: 'Follow-up encounter (procedure)', class: 'AMB' },
  emergency: { code: '50849002', display: 'Emergency room admission (procedure)', class: 'EMER' },
  inpatient: { code: '32485007', display: 'Hospital admission (procedure)', class: 'IMP' },
  consultation: { code: '698314001', display: 'Consultation for treatment (procedure)', class: 'AMB' },
} as const
export type EncounterType = keyof typeof ENCOUNTER_TYPES

// ---------------------------------------------------------------------------
// CVX vaccines
// ---------------------------------------------------------------------------

export interface VaxCode {
  code: string
  display: string
  concept: string | null
  live: boolean
}

/** CDC CVX code set short descriptions as Synthea writes them (Synthea immunizations module; 37, 25, 111 (verify)). */
export const VACCINES = {
  flu: { code: '140', display: 'Influenza, seasonal, injectable, preservative free', concept: known('vaccines', 'influenza_inactivated'), live: false },
  td: { code: '113', display: 'Td (adult) preservative free', concept: known('vaccines', 'tetanus_diphtheria'), live: false },
  tdap: { code: '115', display: 'Tdap', concept: known('vaccines', 'tetanus_diphtheria'), live: false },
  covid30: {
    code: '208',
    display: 'SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose',
    concept: known('vaccines', 'covid19_mrna'),
    live: false,
  },
  covid100: {
    code: '207',
    display: 'SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 100 mcg/0.5mL dose',
    concept: known('vaccines', 'covid19_mrna'),
    live: false,
  },
  pcv13: { code: '133', display: 'Pneumococcal conjugate PCV 13', concept: known('vaccines', 'pneumococcal'), live: false },
  ppsv23: { code: '33', display: 'pneumococcal polysaccharide vaccine, 23 valent', concept: known('vaccines', 'pneumococcal'), live: false },
  zosterRecombinant: { code: '187', display: 'zoster vaccine recombinant', concept: known('vaccines', 'zoster_recombinant'), live: false },
  hpv: { code: '62', display: 'HPV, quadrivalent', concept: known('vaccines', 'hpv'), live: false },
  hepB: { code: '43', display: 'Hep B, adult', concept: known('vaccines', 'hepatitis_b'), live: false },
  hepA: { code: '52', display: 'Hep A, adult', concept: null, live: false },
  mening: { code: '114', display: 'meningococcal MCV4P', concept: null, live: false },
  // live
  mmr: { code: '03', display: 'MMR', concept: known('vaccines', 'mmr'), live: true },
  varicella: { code: '21', display: 'varicella', concept: known('vaccines', 'varicella'), live: true },
  zosterLive: { code: '121', display: 'zoster live', concept: known('vaccines', 'zoster_live'), live: true },
  yellowFever: { code: '37', display: 'yellow fever', concept: known('vaccines', 'yellow_fever'), live: true },
  typhoidOral: { code: '25', display: 'typhoid, oral', concept: known('vaccines', 'typhoid_oral_ty21a'), live: true },
  laiv: { code: '111', display: 'influenza, live, intranasal', concept: known('vaccines', 'influenza_live_attenuated'), live: true },
} as const satisfies Record<string, VaxCode>

export const LIVE_VACCINES: readonly VaxCode[] = [
  VACCINES.mmr,
  VACCINES.varicella,
  VACCINES.zosterLive,
  VACCINES.yellowFever,
  VACCINES.typhoidOral,
  VACCINES.laiv,
]

// ---------------------------------------------------------------------------
// LOINC observations with UCUM units
// ---------------------------------------------------------------------------

export interface LabCode {
  loinc: string
  display: string
  /** UCUM code (written as both unit and code unless `unitText`). */
  unit: string
  unitText?: string
  concept: string | null
  /** Plausible range and decimals for the value. */
  range: [number, number]
  decimals: number
  category: 'laboratory' | 'vital-signs' | 'survey'
}

/**
 * Sources: Synthea metabolic/CKD/lipid/CBC/vital-sign modules (38483-4 creatinine in blood mg/dL; 33914-3 MDRD eGFR
 * mL/min/{1.73_m2}; 2339-0, 6299-2, 49765-1, 2947-0, 6298-4, 2069-3, 20565-8, 4548-4, 2093-3, 2571-8, 18262-6, 2085-9,
 * 6690-2, 718-7, 4544-3, 777-3, 8302-2, 29463-7, 39156-5, 8867-4, 9279-1, 72514-3); LN labs from the engine's
 * lab-concepts.json LOINC codes (2890-2, 2160-0, 4485-9, 4498-2, 5130-0, 98979-8); LOINC long names (verify).
 */
export const LABS = {
  creatinineBlood: {
    loinc: '38483-4',
    display: 'Creatinine [Mass/volume] in Blood',
    unit: 'mg/dL',
    concept: known('labs', 'serum_creatinine'),
    range: [0.6, 1.3],
    decimals: 2,
    category: 'laboratory',
  },
  egfrMdrd: {
    loinc: '33914-3',
    display: 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)',
    unit: 'mL/min/{1.73_m2}',
    concept: known('labs', 'egfr_mdrd'),
    range: [60, 115],
    decimals: 1,
    category: 'laboratory',
  },
  glucose: { loinc: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mg/dL', concept: null, range: [70, 110], decimals: 1, category: 'laboratory' },
  bun: { loinc: '6299-2', display: 'Urea nitrogen [Mass/volume] in Blood', unit: 'mg/dL', concept: null, range: [7, 20], decimals: 1, category: 'laboratory' },
  calcium: {
    loinc: '49765-1',
    display: 'Calcium [Mass/volume] in Blood',
    unit: 'mg/dL',
    concept: null,
    range: [8.6, 10.3],
    decimals: 2,
    category: 'laboratory',
  },
  sodium: { loinc: '2947-0', display: 'Sodium [Moles/volume] in Blood', unit: 'mmol/L', concept: null, range: [136, 145], decimals: 1, category: 'laboratory' },
  potassium: {
    loinc: '6298-4',
    display: 'Potassium [Moles/volume] in Blood',
    unit: 'mmol/L',
    concept: null,
    range: [3.5, 5.1],
    decimals: 2,
    category: 'laboratory',
  },
  chloride: {
    loinc: '2069-3',
    display: 'Chloride [Moles/volume] in Blood',
    unit: 'mmol/L',
    concept: null,
    range: [98, 107],
    decimals: 1,
    category: 'laboratory',
  },
  co2: {
    loinc: '20565-8',
    display: 'Carbon dioxide, total [Moles/volume] in Blood',
    unit: 'mmol/L',
    concept: null,
    range: [22, 29],
    decimals: 1,
    category: 'laboratory',
  },
  a1c: {
    loinc: '4548-4',
    display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    unit: '%',
    concept: null,
    range: [4.8, 6.4],
    decimals: 1,
    category: 'laboratory',
  },
  cholesterol: {
    loinc: '2093-3',
    display: 'Cholesterol [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    concept: null,
    range: [150, 260],
    decimals: 1,
    category: 'laboratory',
  },
  triglycerides: {
    loinc: '2571-8',
    display: 'Triglyceride [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    concept: null,
    range: [80, 220],
    decimals: 1,
    category: 'laboratory',
  },
  ldl: {
    loinc: '18262-6',
    display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay',
    unit: 'mg/dL',
    concept: null,
    range: [70, 170],
    decimals: 1,
    category: 'laboratory',
  },
  hdl: {
    loinc: '2085-9',
    display: 'Cholesterol in HDL [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    concept: null,
    range: [35, 80],
    decimals: 1,
    category: 'laboratory',
  },
  wbc: {
    loinc: '6690-2',
    display: 'Leukocytes [#/volume] in Blood by Automated count',
    unit: '10*3/uL',
    concept: null,
    range: [3.8, 10.5],
    decimals: 1,
    category: 'laboratory',
  },
  hemoglobin: {
    loinc: '718-7',
    display: 'Hemoglobin [Mass/volume] in Blood',
    unit: 'g/dL',
    concept: known('labs', 'hemoglobin'),
    range: [11.5, 16.5],
    decimals: 1,
    category: 'laboratory',
  },
  hematocrit: {
    loinc: '4544-3',
    display: 'Hematocrit [Volume Fraction] of Blood by Automated count',
    unit: '%',
    concept: null,
    range: [35, 48],
    decimals: 1,
    category: 'laboratory',
  },
  platelets: {
    loinc: '777-3',
    display: 'Platelets [#/volume] in Blood by Automated count',
    unit: '10*3/uL',
    concept: known('labs', 'platelets'),
    range: [160, 400],
    decimals: 0,
    category: 'laboratory',
  },
  alt: {
    loinc: '1742-6',
    display: 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    unit: 'U/L',
    concept: known('labs', 'alt'),
    range: [8, 40],
    decimals: 0,
    category: 'laboratory',
  },
  ast: {
    loinc: '1920-8',
    display: 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    unit: 'U/L',
    concept: known('labs', 'ast'),
    range: [10, 38],
    decimals: 0,
    category: 'laboratory',
  },
  // LN labs
  upcr: {
    loinc: '2890-2',
    display: 'Protein/Creatinine [Mass Ratio] in Urine',
    unit: 'mg/g',
    concept: known('labs', 'urine_protein_creatinine_ratio'),
    range: [300, 3500],
    decimals: 0,
    category: 'laboratory',
  },
  upcrGg: {
    loinc: '2890-2',
    display: 'Protein/Creatinine [Mass Ratio] in Urine',
    unit: 'g/g',
    concept: known('labs', 'urine_protein_creatinine_ratio'),
    range: [0.3, 3.5],
    decimals: 2,
    category: 'laboratory',
  },
  creatinineSerum: {
    loinc: '2160-0',
    display: 'Creatinine [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    concept: known('labs', 'serum_creatinine'),
    range: [0.6, 1.8],
    decimals: 2,
    category: 'laboratory',
  },
  c3: {
    loinc: '4485-9',
    display: 'Complement C3 [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    concept: known('labs', 'complement_c3'),
    range: [45, 150],
    decimals: 0,
    category: 'laboratory',
  },
  c4: {
    loinc: '4498-2',
    display: 'Complement C4 [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    concept: known('labs', 'complement_c4'),
    range: [4, 40],
    decimals: 0,
    category: 'laboratory',
  },
  antiDsDna: {
    loinc: '5130-0',
    display: 'DNA double strand Ab [Units/volume] in Serum',
    unit: '[IU]/mL',
    concept: known('labs', 'anti_dsdna'),
    range: [5, 400],
    decimals: 0,
    category: 'laboratory',
  },
  egfrCkdEpi: {
    loinc: '98979-8',
    display: 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)',
    unit: 'mL/min/{1.73_m2}',
    concept: known('labs', 'egfr'),
    range: [45, 120],
    decimals: 0,
    category: 'laboratory',
  },
  // vital signs
  height: { loinc: '8302-2', display: 'Body Height', unit: 'cm', concept: null, range: [150, 190], decimals: 1, category: 'vital-signs' },
  weight: {
    loinc: '29463-7',
    display: 'Body Weight',
    unit: 'kg',
    concept: known('labs', 'body_weight'),
    range: [52, 110],
    decimals: 1,
    category: 'vital-signs',
  },
  bmi: { loinc: '39156-5', display: 'Body mass index (BMI) [Ratio]', unit: 'kg/m2', concept: null, range: [19, 36], decimals: 2, category: 'vital-signs' },
  heartRate: {
    loinc: '8867-4',
    display: 'Heart rate',
    unit: '/min',
    concept: known('labs', 'heart_rate'),
    range: [58, 98],
    decimals: 0,
    category: 'vital-signs',
  },
  respiratoryRate: { loinc: '9279-1', display: 'Respiratory rate', unit: '/min', concept: null, range: [12, 18], decimals: 0, category: 'vital-signs' },
  temperature: {
    loinc: '8310-5',
    display: 'Body temperature',
    unit: 'Cel',
    concept: known('labs', 'body_temperature'),
    range: [36.2, 37.4],
    decimals: 1,
    category: 'vital-signs',
  },
  pain: {
    loinc: '72514-3',
    display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported',
    unit: '{score}',
    concept: null,
    range: [0, 4],
    decimals: 0,
    category: 'survey',
  },
} as const satisfies Record<string, LabCode>

/** MDRD eGFR in plain mL/min (a unit some labs write; UCUM code "mL/min"). */
export const EGFR_MDRD_ML_MIN: LabCode = { ...LABS.egfrMdrd, unit: 'mL/min' }

/** Blood pressure panel and its components (Synthea vital signs; LOINC 85354-9, 8480-6, 8462-4). */
export const BP = {
  panel: { code: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: { code: '8480-6', display: 'Systolic blood pressure', concept: known('labs', 'systolic_blood_pressure') },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure', concept: known('labs', 'diastolic_blood_pressure') },
} as const

/** Pregnancy status (US Core pregnancy status observation, LOINC 82810-3) and its SNOMED answers. */
export const PREGNANCY_STATUS = {
  code: '82810-3',
  display: 'Pregnancy status',
  concept: known('labs', 'pregnancy_status'),
  pregnant: { code: '77386006', display: 'Pregnant' },
  notPregnant: { code: '60001007', display: 'Not pregnant' },
} as const

/** Tobacco smoking status (LOINC 72166-2; Synthea answers 266919005 never, 8517006 ex-smoker, 449868002 daily). */
export const SMOKING = {
  code: '72166-2',
  display: 'Tobacco smoking status',
  answers: [
    { code: '266919005', display: 'Never smoked tobacco (finding)' },
    { code: '8517006', display: 'Ex-smoker (finding)' },
    { code: '449868002', display: 'Smokes tobacco daily (finding)' },
  ],
} as const

/** SNOMED CT route codes (FHIR R4 route-codes example value set; 26643006 Oral route, 47625008 Intravenous, 34206005 Subcutaneous, 78421000 Intramuscular, 6064005 Topical, 54485002 Ophthalmic, 447694001 Respiratory tract (verify)). */
export const ROUTE_CODES: Record<Route, { code: string; display: string }> = {
  oral: { code: '26643006', display: 'Oral route' },
  iv: { code: '47625008', display: 'Intravenous route' },
  sc: { code: '34206005', display: 'Subcutaneous route' },
  im: { code: '78421000', display: 'Intramuscular route' },
  topical: { code: '6064005', display: 'Topical route' },
  ophthalmic: { code: '54485002', display: 'Ophthalmic route' },
  inhaled: { code: '447694001', display: 'Respiratory tract route' },
  nasal: { code: '46713006', display: 'Nasal route' },
  vaginal: { code: '16857009', display: 'Vaginal route' },
}
