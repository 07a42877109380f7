/**
 * Editors that run yaml-language-server (VS Code's YAML extension, Neovim,
 * Helix...) must get validation and completion from our JSON Schema, both via
 * the modeline on the first line of every protocol and via a `yaml.schemas`
 * association. This drives the language server's own API, in process.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { TextDocument } from 'vscode-languageserver-textdocument'
import { getLanguageService } from 'yaml-language-server'
import type { Diagnostic, LanguageService, SchemasSettings } from 'yaml-language-server'
import { parseYamlText } from '../../../engine/parse/yaml-document.ts'
import { validateAgainstSchema } from '../../../engine/schema/validate.ts'

const repo = new URL('../../../', import.meta.url)
const at = (path: string): string => new URL(path, repo).href
const read = (path: string): string => readFileSync(new URL(path, repo), 'utf8')

const SCHEMA_URI = at('engine/schema/protocol.schema.json')
const SCHEMA_TEXT = read('engine/schema/protocol.schema.json')
const PROTOCOL_PATH = 'protocols/nct05631717.yaml'
const PROTOCOL = read(PROTOCOL_PATH)
const MODELINE = '# yaml-language-server: $schema=../engine/schema/protocol.schema.json'

/**
 * A language service that can load our schema and nothing else: no network,
 * no SchemaStore, so the result depends on this repository alone.
 */
function service(schemas: SchemasSettings[]): LanguageService {
  const ls = getLanguageService({
    schemaRequestService: async uri => {
      if (uri === SCHEMA_URI) return SCHEMA_TEXT
      throw new Error(`unexpected schema request: ${uri}`)
    },
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
  })
  ls.configure({ validate: true, completion: true, hover: false, schemas })
  return ls
}

/** Associated by file name, as `"yaml.schemas": { schema: "protocols/*.yaml" }` does. */
const bySettings = service([{ uri: SCHEMA_URI, fileMatch: ['protocols/*.yaml'], schema: JSON.parse(SCHEMA_TEXT) }])
/** No association: only a document's modeline can bring the schema in. */
const byModeline = service([])

let versions = 0
/**
 * A document under protocols/ (so the modeline's relative path resolves). The
 * server caches parses by uri and version: each text gets a new version.
 */
function document(text: string, path = 'protocols/inline.yaml'): TextDocument {
  return TextDocument.create(at(path), 'yaml', ++versions, text)
}

/** Diagnostics as `line:column message`, 1-based like our own diagnostics. */
async function validate(ls: LanguageService, doc: TextDocument): Promise<string[]> {
  const found: Diagnostic[] = await ls.doValidation(doc, false)
  return found.map(d => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)
}

/** Completion labels at the `|` in `text`. */
async function complete(text: string): Promise<string[]> {
  const cursor = text.indexOf('|')
  const doc = document(text.slice(0, cursor) + text.slice(cursor + 1))
  const list = await bySettings.doComplete(doc, doc.positionAt(cursor), false)
  return list.items.map(item => item.label)
}

describe('validation in the editor', () => {
  it('the first line of the shipped protocol is the modeline', () => {
    expect(PROTOCOL.split('\n')[0]).toBe(MODELINE)
  })

  it.each([
    { via: 'settings', ls: bySettings },
    { via: 'modeline', ls: byModeline },
  ])('the shipped protocol has zero diagnostics (schema via $via)', async ({ ls }) => {
    expect(await validate(ls, document(PROTOCOL, PROTOCOL_PATH))).toEqual([])
  })

  it.each([
    {
      case: 'wrong type (target_enrollment: forty)',
      from: 'target_enrollment: 40',
      to: 'target_enrollment: forty',
      want: 'L:22 Incorrect type. Expected "integer".',
    },
    {
      case: 'unknown key in protocol',
      from: '  sex: all\n',
      to: '  sex: all\n  colour: blue\n',
      want: 'L+1:3 Property colour is not allowed.',
    },
    {
      case: 'kind outside its enum',
      from: 'kind: inclusion',
      to: 'kind: inclusive',
      want: 'L:11 Value is not accepted. Valid values: "inclusion", "exclusion".',
    },
    {
      case: 'reference date name failing propertyNames',
      from: '  consent:\n    label: informed consent',
      to: '  Consent:\n    label: informed consent',
      want: 'L:3 String does not match the pattern of "^[a-z][a-z0-9_]*$".',
    },
    // `L` is the line where `from` starts in the shipped protocol (so edits elsewhere in it do not break the test)
  ])('$case: one diagnostic at the right line (via modeline)', async ({ from, to, want }) => {
    expect(PROTOCOL).toContain(from)
    const line = PROTOCOL.slice(0, PROTOCOL.indexOf(from)).split('\n').length
    const expected = want.replace(/^L\+1:/, `${line + 1}:`).replace(/^L:/, `${line}:`)
    expect(await validate(byModeline, document(PROTOCOL.replace(from, to), PROTOCOL_PATH))).toEqual([expected])
  })

  it('flags the same problems as our ajv validator in schema-errors-several.yaml', async () => {
    const text = read('test/fixtures/schema-errors-several.yaml')
    const parsed = parseYamlText(text, 'x.yaml')
    const ajvLines = validateAgainstSchema('protocol', parsed.value, parsed).map(d => d.line)
    const editorLines = (await validate(bySettings, document(text))).map(d => Number(d.split(':')[0]))
    expect(ajvLines).toEqual([15, 24, 33, 38])
    // A missing key: the language server marks the mapping's key (`logic:`,
    // line 37), we mark the mapping itself (its first key, line 38).
    expect(editorLines).toEqual([15, 24, 33, 37])
  })

  it('accepts the fixture that uses every leaf kind (schema via its `$schema` key)', async () => {
    const path = 'test/fixtures/schema-valid-all-leaves.yaml'
    expect(await validate(byModeline, document(read(path), path))).toEqual([])
  })
})

describe('completion in the editor', () => {
  const head = PROTOCOL.slice(0, PROTOCOL.indexOf('\ncriteria:') + 1)
  const criterion = 'criteria:\n  - id: IN01\n    kind: inclusion\n    text: t\n'

  it('offers the criterion kinds', async () => {
    expect(await complete(`${head}criteria:\n  - id: IN01\n    kind: |\n`)).toEqual(['inclusion', 'exclusion'])
  })

  it.each([
    { where: 'directly under logic:', text: `${head}${criterion}    logic:\n      |\n` },
    { where: 'in an any: list', text: `${head}${criterion}    logic:\n      any:\n        - |\n` },
  ])('offers condition keys $where', async ({ text }) => {
    expect(await complete(text)).toEqual(expect.arrayContaining(['all', 'any', 'not', 'at_least', 'measurement', 'age', 'medication', 'condition']))
  })

  it('offers the top-level keys in an empty protocol', async () => {
    expect(await complete(`${MODELINE}\n|\n`)).toEqual(
      expect.arrayContaining(['protocol', 'reference_dates', 'parameters', 'attestations', 'definitions', 'criteria']),
    )
  })

  it('offers the top-level keys not yet written', async () => {
    const labels = await complete(`${MODELINE}\nprotocol:\n  title: t\n|\n`)
    expect(labels).toEqual(expect.arrayContaining(['reference_dates', 'parameters', 'criteria']))
    expect(labels).not.toContain('protocol')
  })
})
