import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ContentCache, deepFreeze, derivedOnce } from '../../../engine/load/content-cache.ts'
import { examplePatient, loadExamples, loadProtocol, parseExamplesText } from '../../../engine/index.ts'
import { PROTOCOLS_DIR } from '../../helpers/protocols.ts'

describe('ContentCache', () => {
  it('makes a value once per key and drops the least recently used beyond its capacity', () => {
    const cache = new ContentCache<number>(2)
    let made = 0
    const make = (n: number) => () => {
      made++
      return n
    }
    expect(cache.get('a', make(1))).toBe(1)
    expect(cache.get('a', make(99))).toBe(1) // kept
    cache.get('b', make(2))
    cache.get('a', make(99)) // a is now the most recently used
    cache.get('c', make(3)) // b goes
    expect(cache.size).toBe(2)
    expect(made).toBe(3)
    expect(cache.get('a', make(99))).toBe(1)
    expect(cache.get('b', make(20))).toBe(20) // made again
  })
})

describe('deepFreeze', () => {
  it('freezes nested objects and arrays; primitives pass through', () => {
    const v = deepFreeze({ a: [{ b: 1 }], c: 'x' })
    expect(Object.isFrozen(v.a[0])).toBe(true)
    expect(() => {
      ;(v.a as unknown[]).push(2)
    }).toThrow(TypeError)
    expect(deepFreeze(3)).toBe(3)
  })
})

describe('examples texts are parsed once', () => {
  const protocolText = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')
  const examplesText = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.examples.yaml'), 'utf8')
  const protocol = loadProtocol(protocolText).value!

  it('the same text gives the same read-only document; a changed text is parsed anew', () => {
    const first = loadExamples(examplesText, protocol, { file: 'e.yaml' }).value!
    const again = loadExamples(examplesText, protocol, { file: 'e.yaml' }).value!
    expect(again).toBe(first)
    expect(parseExamplesText(examplesText, 'e.yaml').value).toBe(first)
    expect(Object.isFrozen(first.base_patient)).toBe(true)
    const changed = loadExamples(`${examplesText}\n# a comment\n`, protocol, { file: 'e.yaml' }).value!
    expect(changed).not.toBe(first)
    expect(changed).toEqual(first)
  })

  it('a patient built from the shared document is the caller’s own (the merge patch copies)', () => {
    const examples = loadExamples(examplesText, protocol).value!
    const patient = examplePatient(examples, examples.examples[0]!.id) as unknown as Record<string, unknown>
    patient.sex = 'changed'
    expect(Object.isFrozen(patient)).toBe(false)
    expect((examples.base_patient as unknown as Record<string, unknown>).sex).not.toBe('changed')
  })

  it('the check against the protocol still runs on every call: examples for another protocol are refused', () => {
    const other = { ...protocol, protocol: { ...protocol.protocol, registry_id: 'NCT00000000' } }
    const loaded = loadExamples(examplesText, other)
    expect(loaded.value).toBeUndefined()
    expect(loaded.diagnostics.some(d => d.severity === 'error')).toBe(true)
  })

  it('what is derived from the shared document is made once per key and read-only; from a caller’s own document, afresh', () => {
    const examples = loadExamples(examplesText, protocol).value!
    const id = examples.examples[0]!.id
    let made = 0
    const derive = () => {
      made++
      return examplePatient(examples, id)
    }
    const first = derivedOnce(examples, `patient:${id}`, derive)
    expect(derivedOnce(examples, `patient:${id}`, derive)).toBe(first)
    expect(made).toBe(1)
    expect(Object.isFrozen(first)).toBe(true)
    expect(derivedOnce(examples, 'patient:another', derive)).not.toBe(first)
    expect(made).toBe(2)
    const own = structuredClone(examples)
    const a = derivedOnce(own, `patient:${id}`, () => examplePatient(own, id))
    const b = derivedOnce(own, `patient:${id}`, () => examplePatient(own, id))
    expect(a).not.toBe(b)
    expect(a).toEqual(b)
    expect(Object.isFrozen(a)).toBe(false)
  })
})
